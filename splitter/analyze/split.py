"""Read an already split conftest: which statements splitter generated, which are the user's (pure).

After a migration the split modules and the hand-written parts of the root are
the source of truth (DESIGN.md, "Life after the split"); the generated parts are
regenerated from them by ``splitter sync``. A split has one of two shapes:

- today's: the root conftest holds one generated block (:data:`ROOT_BLOCK`) that
  runs ``conftest_loader.py``, the generated module holding everything else —
  the finder, the guard, the eager imports, the stubs and the tables;
- splitter 0.1.0's: all of that inside the root conftest, after a
  ``# -- splitter: lazy loader`` banner and at its end.

This module tells the generated statements apart by what they bind
(``_SPLIT_MODULES``, ``_LAZY_FIXTURES``…), the stubs by their call of
``_implementation("…")`` and the eager imports by the split module they import
from; the set of split modules is read from the loader itself
(``_SPLIT_MODULES``), never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from splitter.errors import UserError
from splitter.model import ConftestModel, Definition, Kind

# The names that make a split recognisable; render writes them (render/loader.py, render/legacy.py).
LOADER_STEM = "conftest_loader"  # the generated loader module beside the root conftest
EXPORTS = "CONFTEST_NAMES"  # what the root binds from it: every fixture, and __getattr__
BLOCK_FUNCTION = "_load_split"  # the root's generated block: def _load_split() ... globals().update(_load_split())
BLOCK_MARKER = "# -- splitter: generated"  # the first line of that block
LEGACY_MARKER = "# -- splitter: lazy loader"  # the banner of a 0.1.0 split's loader, inside the root

# Names only the generated loader binds (its imports, finder, tables and guard).
LOADER_NAMES = frozenset(
    {"_importlib", "_sys", "_types", "_Path", "_SPLIT_PREFIX", "_SPLIT_MODULES", "_SplitModuleFinder", "_FINDER"}
    | {"_split_parent_packages", "_CONFTEST", EXPORTS}
)
GUARD_NAMES = frozenset(
    {"_ast", "_os", "_stat", "_tempfile", "_warnings", "_zlib", "_SPLIT_STALE"}
    | {"_split_signature", "_split_functions", "_split_star_imports", "_split_stale", "_split_guard", "_split_message"}
    | {"_split_record", "_split_private_directory", "_split_remember"}
)
LAZY_NAMES = frozenset({"_LAZY_NAMES", "__getattr__", "_LAZY_FIXTURES", "_implementation"})


def is_split(source: str) -> bool:
    """Whether ``source`` is a root conftest splitter split (in either shape)."""
    return BLOCK_MARKER in source or LEGACY_MARKER in source


def is_legacy_split(source: str) -> bool:
    """Whether ``source`` is a root conftest split by splitter 0.1.0 (its loader inside it)."""
    return LEGACY_MARKER in source and BLOCK_MARKER not in source


@dataclass(frozen=True)
class Stub:
    """A lazy stub of the loader: the fixture function it delegates to."""

    definition: int  # its index in the loader's statements (:attr:`SplitRoot.code`)
    function_name: str


@dataclass(frozen=True)
class SplitModule:
    """One split module beside the root, parsed."""

    stem: str
    eager: bool
    model: ConftestModel

    @property
    def members(self) -> tuple[Definition, ...]:
        """What the module itself defines (its imports and docstring aside)."""
        return tuple(d for d in self.model.definitions if d.kind not in (Kind.IMPORT, Kind.DOCSTRING))


@dataclass(frozen=True)
class SplitRoot:
    """A split root conftest: its generated statements apart from the hand-written ones, and the loader."""

    model: ConftestModel  # the root conftest
    stems: tuple[str, ...]  # the split modules, in the loader's order
    eager: frozenset[str]  # the stems the loader imports from at once
    loader: tuple[int, ...]  # the root's generated block (0.1.0: finder, registration, guard, eager imports)
    lazy: tuple[int, ...]  # 0.1.0 only: the root's lazy tail (names table, fixtures table, stubs)
    stubs: tuple[Stub, ...]  # in their order in the loader
    lazy_table: tuple[tuple[str, str], ...]  # _LAZY_FIXTURES as written: (function name, stem)
    module: ConftestModel | None = None  # conftest_loader.py; None when the split is 0.1.0's

    @property
    def legacy(self) -> bool:
        """Whether splitter 0.1.0 made the split (the loader inside the root conftest)."""
        return self.module is None

    @property
    def code(self) -> ConftestModel:
        """Where the loader's statements are: the loader module, or the root of a 0.1.0 split."""
        return self.module if self.module is not None else self.model

    @property
    def generated(self) -> frozenset[int]:
        """Every generated statement of the root conftest."""
        return frozenset(self.loader) | frozenset(self.lazy)

    @property
    def hand_written(self) -> tuple[Definition, ...]:
        """The user's statements of the root conftest, in order."""
        return tuple(d for d in self.model.definitions if d.index not in self.generated)


def read_split_root(model: ConftestModel, module: ConftestModel | None = None) -> SplitRoot:
    """Sort the statements into generated and hand-written; a UserError if there is no loader.

    ``module`` is the loader module of a split of today's shape; without it the
    root is read as splitter 0.1.0 wrote it.
    """
    if module is None:
        return _read_legacy_root(model)
    block = tuple(d.index for d in model.definitions if is_block(d))
    if not block:
        raise UserError(f"{model.path} has no splitter block (the one that runs conftest_loader.py); run `splitter migrate` first")
    stems = _stems(module)
    eager = {stem for d in module.definitions if (stem := sibling_module(d.statement, stems)) is not None}
    stubs = tuple(
        Stub(d.index, stubbed) for d in module.definitions if (stubbed := _stubbed_function(d.statement)) is not None
    )
    return SplitRoot(model, stems, frozenset(eager), block, (), stubs, _lazy_table(module), module)


def is_block(d: Definition) -> bool:
    """The root's generated block: ``def _load_split()`` and ``globals().update(_load_split())``."""
    return BLOCK_FUNCTION in d.names or BLOCK_FUNCTION in _names(d.statement)


def _read_legacy_root(model: ConftestModel) -> SplitRoot:
    stems = _stems(model)
    loader: list[int] = []
    lazy: list[int] = []
    stubs: list[Stub] = []
    eager: set[str] = set()
    for d in model.definitions:
        imported = sibling_module(d.statement, stems)
        stubbed = _stubbed_function(d.statement)
        if set(d.names) & (LOADER_NAMES | GUARD_NAMES) or _generated_if(d.statement):
            loader.append(d.index)
        elif imported is not None:
            loader.append(d.index)
            eager.add(imported)
        elif set(d.names) & LAZY_NAMES:
            lazy.append(d.index)
        elif stubbed is not None:
            lazy.append(d.index)
            stubs.append(Stub(d.index, stubbed))
    return SplitRoot(model, stems, frozenset(eager), tuple(loader), tuple(lazy), tuple(stubs), _lazy_table(model))


def _stems(model: ConftestModel) -> tuple[str, ...]:
    for d in model.definitions:
        if "_SPLIT_MODULES" in d.names:
            return tuple(_strings(d.statement))
    raise UserError(f"{model.path} has no splitter loader (_SPLIT_MODULES); run `splitter migrate` first")


def _lazy_table(model: ConftestModel) -> tuple[tuple[str, str], ...]:
    for d in model.definitions:
        if "_LAZY_FIXTURES" in d.names:
            found = _strings(d.statement)
            return tuple(zip(found[::2], found[1::2]))
    return ()


class _GatherStrings(cst.CSTVisitor):
    def __init__(self) -> None:
        self.values: list[str] = []

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        self.values.append(value if isinstance(value, str) else value.decode())


def _strings(node: cst.CSTNode) -> list[str]:
    gatherer = _GatherStrings()
    node.visit(gatherer)
    return gatherer.values


def _generated_if(statement: cst.BaseStatement) -> bool:
    """``if not any(... == _SPLIT_MODULES ...):`` (the finder's registration), ``if _SPLIT_STALE:`` (the guard's warning)."""
    return isinstance(statement, cst.If) and bool({"_SPLIT_MODULES", "_SPLIT_STALE"} & _names(statement.test))


def sibling_module(statement: cst.BaseStatement, stems: tuple[str, ...]) -> str | None:
    """The split module a ``from .conftest_x import ...`` line imports from."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    line = statement.body[0]
    if not isinstance(line, cst.ImportFrom) or line.module is None or len(line.relative) > 1:
        return None
    module = cst.Module([]).code_for_node(line.module)
    return module if module in stems else None


class _GatherImplementationCall(cst.CSTVisitor):
    def __init__(self) -> None:
        self.function_name: str | None = None

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "_implementation" and node.args:
            value = node.args[0].value
            if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
                self.function_name = value.evaluated_value


def _stubbed_function(statement: cst.BaseStatement) -> str | None:
    """The function a stub delegates to: a decorated def whose body calls ``_implementation("…")``."""
    if not isinstance(statement, cst.FunctionDef) or not statement.decorators:
        return None
    gatherer = _GatherImplementationCall()
    statement.body.visit(gatherer)
    return gatherer.function_name


class _GatherNameValues(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def _names(node: cst.CSTNode) -> set[str]:
    gatherer = _GatherNameValues()
    node.visit(gatherer)
    return gatherer.names


def statement_regions(source: str) -> list[tuple[int, int]]:
    """The character span of each top-level statement, its leading comments and blank lines included."""
    module = cst.parse_module(source)
    start = len("".join(module.code_for_node(line) for line in module.header)) if module.body else len(source)
    regions = []
    for statement in module.body:
        length = len(module.code_for_node(statement))
        regions.append((start, start + length))
        start += length
    return regions
