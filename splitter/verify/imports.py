"""Names test files import from conftest modules (``from tests.conftest import User``).

Found statically, outside pytest: :func:`conftest_imports_in` is pure (one
file's source), :func:`scan_conftest_imports` walks a tree. Whether each name
still imports is checked inside the pytest run by the snapshot plugin.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from splitter.verify.snapshot import ConftestImport

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".venv", "venv", "__pycache__", ".pytest_cache", ".splitter",
        ".tox", ".nox", ".mypy_cache", ".ruff_cache", "node_modules", "build", "dist", ".eggs",
    }
)  # fmt: skip


def conftest_imports_in(
    source: str, package: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """(module, name) pairs imported from a conftest module by one file.

    ``package`` is the dotted path of the file's directory from the rootdir,
    used to resolve relative imports (``from .conftest import x``).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    pairs = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(node.module, node.level, package)
            for alias in node.names:
                if module and (_is_conftest(module) or alias.name == "conftest"):
                    pairs.append((module, alias.name))
    return tuple(dict.fromkeys(pairs))


def scan_conftest_imports(rootdir: Path) -> tuple[ConftestImport, ...]:
    """Every (module, name) any non-conftest Python file under the rootdir imports from a conftest."""
    importers: dict[tuple[str, str], list[str]] = {}
    for path in _python_files(rootdir):
        try:
            source = path.read_text(encoding="utf-8", errors="replace")
        except OSError:  # a dangling link or an unreadable file imports nothing
            continue
        if "conftest" not in source:
            continue
        relative = path.relative_to(rootdir)
        for pair in conftest_imports_in(source, relative.parent.parts):
            importers.setdefault(pair, []).append(relative.as_posix())
    return tuple(
        ConftestImport(m, n, tuple(files))
        for (m, n), files in sorted(importers.items())
    )


def _absolute(module: str | None, level: int, package: tuple[str, ...]) -> str | None:
    if level == 0:
        return module
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join((*base, module) if module else base) or None


def _is_conftest(module: str) -> bool:
    return module.rsplit(".", 1)[-1] == "conftest"


def _python_files(rootdir: Path) -> Iterator[Path]:
    for entry in sorted(rootdir.iterdir()):
        if entry.is_dir():
            if entry.name not in SKIPPED_DIRS and not (entry / "pyvenv.cfg").exists():
                yield from _python_files(entry)
        elif entry.suffix == ".py" and entry.name != "conftest.py":
            yield entry
