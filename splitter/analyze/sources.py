"""Where the modules a conftest imports fixtures from are read: the project, then the interpreter.

pytest registers every fixture object a conftest module holds, wherever it was
defined. :func:`module_sources` finds the source of an imported module, without
importing it, first under the project's import roots, then on the target
interpreter's ``sys.path`` (installed packages: ``from anyio.pytest_plugin import
free_tcp_port``). Reading is cheap-first: a project module is read when it
mentions pytest (or is a package, which may re-export); an installed one only
when it mentions fixtures at all, and never the standard library or pytest's
own modules (which bind no fixture objects a conftest imports), so ``from
sqlalchemy import text`` costs a file lookup, not a parse.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from splitter.analyze.imported import ModuleSource
from splitter.files import display_path, find_module_file

NEVER_INSTALLED = frozenset({"pytest", "_pytest", "pluggy"})  # no fixture objects to import from these
PATH_TIMEOUT = 60  # seconds for the interpreter to print its sys.path


def module_sources(roots: tuple[Path, ...], interpreter: str | None = None) -> Callable[[str], ModuleSource | None]:
    """The source of a module of the project (under ``roots``) or, with ``interpreter``, installed there."""

    def lookup(name: str) -> ModuleSource | None:
        found = find_module_file(name, roots)
        if found is not None:
            return _read(*found, wanted=lambda text, package: package or "pytest" in text)
        top = name.partition(".")[0]
        if interpreter is None or top in sys.stdlib_module_names or top in NEVER_INSTALLED:
            return None
        found = find_module_file(name, interpreter_path(interpreter))
        if found is None:
            return None
        return _read(*found, wanted=lambda text, package: "fixture" in text.lower(), installed=True)

    return lookup


def _read(
    file: Path, is_package: bool, wanted: Callable[[str, bool], bool], installed: bool = False
) -> ModuleSource | None:
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if not wanted(text, is_package):
        return None
    return ModuleSource(display_path(file), text, is_package, installed)


@cache
def interpreter_path(interpreter: str) -> tuple[Path, ...]:
    """The directories ``interpreter`` imports installed modules from (its ``sys.path`` at start-up).

    It runs from an empty temporary directory, so its current directory adds
    nothing; an interpreter that cannot say gives no directories (imported
    fixtures from installed packages are then not seen, as before).
    """
    with tempfile.TemporaryDirectory(prefix="splitter-path-") as empty:
        try:
            done = subprocess.run(
                [interpreter, "-c", "import json, sys; print(json.dumps(sys.path))"],
                capture_output=True,
                text=True,
                cwd=empty,
                timeout=PATH_TIMEOUT,
            )
            entries = json.loads(done.stdout) if done.returncode == 0 else []
        except (OSError, subprocess.TimeoutExpired, ValueError):
            entries = []
    return tuple(Path(e) for e in entries if isinstance(e, str) and e and Path(e) != Path(empty))
