"""Names test files import from conftest modules (``from tests.conftest import User``).

Found statically, outside pytest: :func:`conftest_imports_in` is pure (one
file's source), :func:`scan_conftest_imports` walks a tree. Whether each name
still imports is checked inside the pytest run by the snapshot plugin.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path


from splitter.analyze.cache import RememberedPerFile, default_cache_dir
from splitter.files import package_of
from splitter.verify.snapshot import ConftestImport

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".venv", "venv", "__pycache__", ".pytest_cache", ".splitter",
        ".tox", ".nox", ".mypy_cache", ".ruff_cache", "node_modules", "build", "dist", ".eggs",
    }
)  # fmt: skip


Pairs = tuple[tuple[str, str], ...]


def conftest_imports_in(source: str, package: tuple[str, ...]) -> Pairs:
    """(module, name) pairs a file takes from a conftest module.

    ``from tests.conftest import User`` gives ``("tests.conftest", "User")``; so
    does reading ``conftest.User`` (or ``getattr(conftest, "User")``) after
    ``from tests import conftest``, ``import tests.conftest [as c]`` or
    ``from . import conftest``. ``package`` is the file's package, as pytest
    names it (:func:`package_parts`), used to resolve relative imports.
    """
    return conftest_uses_in(source, package)[0]


def conftest_writes_in(source: str, package: tuple[str, ...]) -> Pairs:
    """(module, name) pairs a file sets on a conftest module: ``conftest.X = …``,
    ``setattr(conftest, "X", …)``, ``monkeypatch.setattr(conftest, "X", …)`` or
    ``monkeypatch.setattr("tests.conftest.X", …)``. Whatever reads ``X`` must see the new value."""
    return conftest_uses_in(source, package)[1]


def conftest_uses_in(source: str, package: tuple[str, ...]) -> tuple[Pairs, Pairs]:
    """:func:`conftest_imports_in` and :func:`conftest_writes_in` from one parse.

    Read with Python's own parser (``ast``), not libcst: nothing here is rewritten, and a
    tree's test files are many and large (sqlmesh's eleven that import from a conftest
    took 7 s with libcst, a fraction of one with ``ast``)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return (), ()
    gatherer = _GatherConftestUses(package)
    gatherer.visit(tree)
    imports = tuple(dict.fromkeys(gatherer.pairs + gatherer.attribute_pairs()))
    return imports, tuple(dict.fromkeys(gatherer.written_pairs()))


class _GatherConftestUses(ast.NodeVisitor):
    """Imports from conftest modules, the local names bound to them, and attribute reads on those."""

    def __init__(self, package: tuple[str, ...]) -> None:
        self.package = package
        self.pairs: list[tuple[str, str]] = []
        self.modules: dict[str, str] = {}  # local dotted name -> conftest module
        self.reads: list[tuple[str, str]] = []  # (dotted base, attribute) of every read
        self.writes: list[tuple[str, str]] = []  # (dotted base, attribute) of every write
        self.dotted_writes: list[str] = []  # monkeypatch.setattr("a.b.X", …) targets

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = _absolute(node.module, node.level, self.package)
        if not module:
            return
        if any(alias.name == "*" for alias in node.names):
            if _is_conftest(module):
                self.pairs.append((module, "*"))
            return
        for alias in node.names:
            if _is_conftest(module) or alias.name == "conftest":
                self.pairs.append((module, alias.name))
            if alias.name == "conftest":
                self.modules[alias.asname or alias.name] = f"{module}.conftest"

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _is_conftest(alias.name):
                self.modules[alias.asname or alias.name] = alias.name

    def visit_Attribute(self, node: ast.Attribute) -> None:
        base = _full_name(node.value)
        if base is not None:
            self.reads.append((base, node.attr))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        function = _full_name(node.func) or ""
        first = _literal(node.args[0]) if node.args else None
        if function.rsplit(".", 1)[-1] == "setattr" and first is not None:
            self.dotted_writes.append(first)
        if function.rsplit(".", 1)[-1] in {"getattr", "setattr", "delattr"} and len(node.args) >= 2:
            base = _full_name(node.args[0])
            name = _literal(node.args[1])
            if base is not None and name is not None:
                self.reads.append((base, name))
                if function != "getattr":
                    self.writes.append((base, name))
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.add_write(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.add_write(node.target)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        if len(node.targets) == 1:  # ``del a.X, b`` deletes a tuple of targets: none is read as a write
            self.add_write(node.targets[0])
        self.generic_visit(node)

    def add_write(self, target: ast.expr) -> None:
        if isinstance(target, ast.Attribute):
            base = _full_name(target.value)
            if base is not None:
                self.writes.append((base, target.attr))

    def written_pairs(self) -> list[tuple[str, str]]:
        """(module, name) for each name set on a conftest module, by alias or by dotted path."""
        pairs = [(self.modules[base], name) for base, name in self.writes if base in self.modules]
        pairs += [(m, n) for m, _, n in (d.rpartition(".") for d in self.dotted_writes) if _is_conftest(m)]
        return pairs

    def attribute_pairs(self) -> list[tuple[str, str]]:
        """(module, name) for each ``alias.name`` read on a local name bound to a conftest module."""
        return [
            (self.modules[base], name)
            for base, name in self.reads
            if base in self.modules and not (name.startswith("__") and name.endswith("__"))
        ]


def _full_name(node: ast.expr) -> str | None:
    """The dotted name of ``a.b.c`` (of ``a.b`` for ``a.b(…)`` and ``a.b[…]``), None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _full_name(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    if isinstance(node, ast.Call):
        return _full_name(node.func)
    if isinstance(node, ast.Subscript):
        return _full_name(node.value)
    return None


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def scan_conftest_imports(rootdir: Path) -> tuple[ConftestImport, ...]:
    """Every (module, name) any non-conftest Python file under the rootdir imports from a conftest."""
    importers: dict[tuple[str, str], list[str]] = {}
    for relative, (imports, _) in _scan(rootdir):
        for pair in imports:
            importers.setdefault(pair, []).append(relative.as_posix())
    return tuple(
        ConftestImport(m, n, tuple(files))
        for (m, n), files in sorted(importers.items())
    )


def scan_conftest_writes(rootdir: Path) -> tuple[tuple[str, str], ...]:
    """Every (module, name) a file under the rootdir sets on a conftest module (see :func:`conftest_writes_in`)."""
    return tuple(dict.fromkeys(pair for _, (_, writes) in _scan(rootdir) for pair in writes))


def _scan(rootdir: Path) -> list[tuple[Path, tuple[Pairs, Pairs]]]:
    """:func:`conftest_uses_in` of every file that mentions a conftest, by path from the rootdir;
    remembered per file content (splitter's cache), so an unchanged tree is not parsed again."""
    uses = RememberedPerFile(default_cache_dir(), "conftest-uses", rootdir, conftest_uses_in)
    found: list[tuple[Path, tuple[Pairs, Pairs]]] = []
    for path in _python_files(rootdir):
        try:
            source = path.read_text(encoding="utf-8", errors="replace")
        except OSError:  # a dangling link or an unreadable file imports nothing
            continue
        if "conftest" not in source:
            continue
        relative = path.relative_to(rootdir)
        found.append((relative, uses(source, package_parts(path, rootdir))))
    uses.save()
    return found


def package_parts(path: Path, rootdir: Path) -> tuple[str, ...]:
    """The dotted package of a file, as pytest names the module it imports from that file.

    In a package (its folder has an ``__init__.py``) it is the package Python knows,
    found by walking up the ``__init__.py`` folders, past the rootdir when the rootdir
    is a package itself (``from .conftest import X`` beside a rootdir conftest means
    ``pkg.conftest``, never a top-level ``conftest``, where a relative import cannot
    work). Outside packages it is the folder's path from the rootdir: the name
    ``--import-mode=importlib`` gives, the one mode in which a relative import works there.
    """
    package = package_of(path)
    if package is not None:
        return tuple(package.split("."))
    return path.parent.relative_to(rootdir).parts


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
