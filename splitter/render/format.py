"""Format rendered sources with black, honouring the target project's black config."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import black
from black.const import DEFAULT_LINE_LENGTH
from black.files import find_pyproject_toml, parse_pyproject_toml
from black.mode import TargetVersion

from splitter.errors import UserError


def black_mode(config: Mapping[str, Any]) -> black.Mode:
    """A ``black.Mode`` from a ``[tool.black]`` table (the options that change output)."""
    versions = {TargetVersion[v.upper()] for v in config.get("target_version", ()) or ()}
    return black.Mode(
        target_versions=versions,
        line_length=int(config.get("line_length", DEFAULT_LINE_LENGTH)),
        string_normalization=not config.get("skip_string_normalization", False),
        magic_trailing_comma=not config.get("skip_magic_trailing_comma", False),
        preview=bool(config.get("preview", False)),
    )


def load_black_mode(directory: Path) -> black.Mode:
    """The black mode of the project containing ``directory`` (black's own lookup)."""
    pyproject = find_pyproject_toml((str(directory),))
    if pyproject is None:
        return black.Mode()
    try:
        config = parse_pyproject_toml(pyproject)
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read black's configuration in {pyproject}: {exc}") from None
    return black_mode(config)


def format_source(source: str, mode: black.Mode) -> str:
    """``source`` formatted by black; a rendered file black rejects is a bug."""
    try:
        return black.format_str(source, mode=mode)
    except black.parsing.InvalidInput as exc:  # pragma: no cover - render produced bad code
        raise RuntimeError(f"black could not format a rendered module: {exc}") from exc
