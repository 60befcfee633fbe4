"""Names test files import from conftest modules (``from tests.conftest import User``).

Found statically, outside pytest: :func:`conftest_imports_in` is pure (one
file's source), :func:`scan_conftest_imports` walks a tree. Whether each name
still imports is checked inside the pytest run by the snapshot plugin.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import libcst as cst
from libcst.helpers import get_full_name_for_node

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
    """(module, name) pairs a file takes from a conftest module.

    ``from tests.conftest import User`` gives ``("tests.conftest", "User")``; so
    does reading ``conftest.User`` (or ``getattr(conftest, "User")``) after
    ``from tests import conftest``, ``import tests.conftest [as c]`` or
    ``from . import conftest``. ``package`` is the dotted path of the file's
    directory from the rootdir, used to resolve relative imports.
    """
    try:
        tree = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return ()
    gatherer = _GatherConftestUses(package)
    tree.visit(gatherer)
    return tuple(dict.fromkeys(gatherer.pairs + gatherer.attribute_pairs()))


class _GatherConftestUses(cst.CSTVisitor):
    """Imports from conftest modules, the local names bound to them, and attribute reads on those."""

    def __init__(self, package: tuple[str, ...]) -> None:
        self.package = package
        self.pairs: list[tuple[str, str]] = []
        self.modules: dict[str, str] = {}  # local dotted name -> conftest module
        self.reads: list[tuple[str, str]] = []  # (dotted base, attribute) of every read

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        written = get_full_name_for_node(node.module) if node.module is not None else None
        module = _absolute(written, len(node.relative), self.package)
        if not module:
            return
        if isinstance(node.names, cst.ImportStar):
            if _is_conftest(module):
                self.pairs.append((module, "*"))
            return
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            if _is_conftest(module) or name == "conftest":
                self.pairs.append((module, name))
            if name == "conftest":
                self.modules[_local_name(alias) or name] = f"{module}.conftest"

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = get_full_name_for_node(alias.name) or ""
            if _is_conftest(module):
                self.modules[_local_name(alias) or module] = module

    def visit_Attribute(self, node: cst.Attribute) -> None:
        base = get_full_name_for_node(node.value)
        if base is not None:
            self.reads.append((base, node.attr.value))

    def visit_Call(self, node: cst.Call) -> None:
        if get_full_name_for_node(node.func) == "getattr" and len(node.args) >= 2:
            base = get_full_name_for_node(node.args[0].value)
            name = node.args[1].value
            if base is not None and isinstance(name, cst.SimpleString) and isinstance(name.evaluated_value, str):
                self.reads.append((base, name.evaluated_value))

    def attribute_pairs(self) -> list[tuple[str, str]]:
        """(module, name) for each ``alias.name`` read on a local name bound to a conftest module."""
        return [
            (self.modules[base], name)
            for base, name in self.reads
            if base in self.modules and not (name.startswith("__") and name.endswith("__"))
        ]


def _local_name(alias: cst.ImportAlias) -> str | None:
    """The ``as`` name of an import alias, if it has one."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


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
