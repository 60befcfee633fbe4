"""Format rendered sources with black, honouring the target project's black config.

Generated code (the loader, the stubs, the imports splitter writes) is always
formatted by black. Code the user wrote is not touched in the root conftest, and
is reformatted in the split modules only when the project uses black: a
``[tool.black]`` table, or a conftest black would leave as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class CodeStyle:
    """How the rendered files are formatted (pure: black only formats strings)."""

    mode: black.Mode = field(default_factory=black.Mode)
    reformat_moved: bool = True  # the project uses black: moved definitions are formatted too

    def generated(self, source: str) -> str:
        """Code splitter writes, as black writes it."""
        return format_source(source, self.mode)


def load_black_mode(directory: Path) -> black.Mode:
    """The black mode of the project containing ``directory`` (black's own lookup)."""
    return black_mode(_black_config(directory))


def project_style(directory: Path, statements: Sequence[str]) -> CodeStyle:
    """The project's style: its black mode, and whether it uses black at all.

    Without a ``[tool.black]`` table, the project uses black when black leaves each
    of the conftest's top-level ``statements`` as it is; the first one black would
    change settles it, so a conftest black never touched costs little to check.
    """
    config = _black_config(directory)
    mode = black_mode(config)
    return CodeStyle(mode, reformat_moved=bool(config) or all(_is_black_clean(s, mode) for s in statements))


def _black_config(directory: Path) -> Mapping[str, Any]:
    pyproject = find_pyproject_toml((str(directory),))
    if pyproject is None:
        return {}
    try:
        return parse_pyproject_toml(pyproject)
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read black's configuration in {pyproject}: {exc}") from None


def _is_black_clean(source: str, mode: black.Mode) -> bool:
    try:
        return black.format_str(source, mode=mode) == source
    except black.parsing.InvalidInput:
        return False


def format_source(source: str, mode: black.Mode) -> str:
    """``source`` formatted by black; a rendered file black rejects is a bug."""
    try:
        return black.format_str(source, mode=mode)
    except black.parsing.InvalidInput as exc:  # pragma: no cover - render produced bad code
        raise RuntimeError(f"black could not format a rendered module: {exc}") from exc
