"""``splitter sync``: rebuild the generated loader section of a split root conftest.

The split modules and the hand-written parts of the root are the source of
truth (DESIGN.md, "Life after the split"). :func:`prepare_sync` reads them,
renders the loader block and the lazy tail again and splices them in place of
the old ones — every other byte of the root stays as it is — and says what was
stale; :func:`write_sync` writes the result atomically. Nothing else is written.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import black
import libcst as cst

from splitter import __version__
from splitter.analyze.imported import with_imported_fixtures
from splitter.analyze.parse import parse_conftest
from splitter.analyze.sources import module_sources
from splitter.analyze.split import SplitModule, SplitRoot, read_split_root, statement_regions
from splitter.errors import UserError
from splitter.files import find_rootdir, import_roots, module_names, package_of, read_source
from splitter.model import Definition, FixtureBinding
from splitter.plan.assign import decorator_names, needs
from splitter.render.format import format_source, load_black_mode
from splitter.render.loader import MARKER
from splitter.render.modules import moved_names, plain_import_names
from splitter.render.stubs import render_stub, stub_spec
from splitter.render.sync import LazyFixture, LoaderSection, render_loader_section
from splitter.safety.disk import atomic_write
from splitter.safety.preflight import check_input_path, newline_of, with_newline
from splitter.safety.write import NewFile
from splitter.verify.imports import scan_conftest_imports

# Generated statements whose code is the same in every split: a difference is a hand edit.
FIXED_CODE = frozenset(
    {"_SplitModuleFinder", "_FINDER", "_split_signature", "_split_functions", "_split_star_imports"}
    | {"_split_stale", "_split_guard"}
    | {"_split_message", "_SPLIT_STALE", "__getattr__", "_implementation"}
)
UNCHANGED = "the loader is up to date"


@dataclass(frozen=True)
class Sync:
    """A prepared sync: the root as it is and as the split modules say it should be."""

    conftest: Path
    old: str
    new: str
    stale: tuple[str, ...]  # what is out of date, one short sentence each

    @property
    def changed(self) -> bool:
        """Whether the loader section has to change."""
        return self.old != self.new

    def diff(self) -> str:
        """A unified diff of the root conftest."""
        label = self.conftest.as_posix()
        lines = difflib.unified_diff(
            self.old.splitlines(keepends=True), self.new.splitlines(keepends=True), fromfile=label, tofile=label
        )
        return "".join(lines)


def is_split(source: str) -> bool:
    """Whether ``source`` is a root conftest splitter generated."""
    return MARKER in source


def prepare_sync(conftest: Path, sources: Mapping[str, str] | None = None) -> Sync:
    """Read the root and its split modules and render the root as it should be; writes nothing.

    ``sources`` (file name -> text) stand in for files on disk: incremental migrate syncs a tree it has not written yet.
    """
    check_input_path(conftest)
    sources = sources or {}
    source = sources.get(conftest.name) or read_source(conftest).text
    if not is_split(source):
        raise UserError(f"{conftest} is not split (no splitter loader in it); run `splitter migrate` first")
    root = read_split_root(parse_conftest(source, str(conftest)))
    modules = read_modules(conftest, root, sources)
    section = render_section(conftest, root, modules)
    mode = load_black_mode(conftest.parent)
    newline = newline_of(source)
    loader = with_newline(format_source(section.loader, mode), newline)
    lazy = with_newline(format_source(section.lazy, mode), newline) if section.lazy else ""
    check_not_hand_edited(conftest, root, loader + lazy, mode)
    new = splice(source, root, loader, lazy)
    return Sync(conftest, source, new, describe_stale(root, modules, new) if new != source else ())


def write_sync(sync: Sync) -> None:
    """Write the synced root conftest atomically (in its encoding)."""
    try:
        atomic_write(sync.conftest, NewFile(sync.conftest.name, sync.new).data)
    except OSError as exc:
        raise UserError(f"cannot write {sync.conftest}: {exc.strerror}; nothing was changed") from None


def read_modules(conftest: Path, root: SplitRoot, sources: Mapping[str, str] | None = None) -> tuple[SplitModule, ...]:
    """The split modules the loader lists, parsed (fixtures they import recognised, as analyze
    does); a missing or broken one is a UserError."""
    package, lookup = package_of(conftest), module_sources(import_roots(conftest), sys.executable)
    modules = []
    for stem in root.stems:
        path = conftest.parent / f"{stem}.py"
        text = (sources or {}).get(path.name)
        if text is None and not path.is_file():
            raise UserError(
                f"{path} is missing but the loader of {conftest.name} lists it; put it back "
                f"(an empty module is fine), then run `splitter sync` again"
            )
        text = read_source(path).text if text is None else text
        model = with_imported_fixtures(parse_conftest(text, str(path)), package, lookup, parse_conftest)
        modules.append(SplitModule(stem, stem in root.eager, model))
    return tuple(modules)


def render_section(conftest: Path, root: SplitRoot, modules: Sequence[SplitModule]) -> LoaderSection:
    """The loader block and lazy tail the split modules and the hand-written root call for."""
    homes = _homes(modules)
    bound = {name for d in root.hand_written for name in d.names}
    lazy_fixtures = _lazy_fixtures(root, modules)
    test_imports = test_imports_of(conftest)
    wanted = (_root_needs(root, lazy_fixtures) | test_imports) - bound
    _check_root_needs(wanted - test_imports, homes, modules)
    eager = {m.stem: _exports(m, wanted) for m in modules if m.eager}
    exported = {name for names in eager.values() for name in names}
    stubs = {f.function_name for f in lazy_fixtures}
    lazy_names = moved_names(
        [m.stem for m in modules],
        {m.stem: m.members for m in modules},
        {m.stem: plain_import_names(m.model.definitions) for m in modules},
        bound | exported | stubs | {"pytest", "__getattr__"},
    )
    package = (conftest.parent / "__init__.py").is_file()
    return render_loader_section(root.stems, eager, lazy_names, lazy_fixtures, package=package, version=__version__)


def test_imports_of(conftest: Path) -> frozenset[str]:
    """The names test files import from this conftest module, under any of its dotted names."""
    names = module_names(conftest)
    return frozenset(i.name for i in scan_conftest_imports(find_rootdir(conftest)) if i.module in names)


def _homes(modules: Sequence[SplitModule]) -> dict[str, SplitModule]:
    """Where each name the split modules define lives; a fixture defined twice is a UserError."""
    homes: dict[str, SplitModule] = {}
    for module in modules:
        for d in module.members:
            for name in d.names:
                other = homes.setdefault(name, module)
                if other is not module and d.fixture is not None:
                    raise UserError(
                        f"fixture {name!r} is defined in both {other.stem}.py and {module.stem}.py; keep one"
                    )
    return homes


def _lazy_fixtures(root: SplitRoot, modules: Sequence[SplitModule]) -> list[LazyFixture]:
    """The fixtures of the lazy modules: those already stubbed in their order, then the new ones."""
    found: dict[str, LazyFixture] = {}
    for module in modules:
        if module.eager:
            continue
        for d in module.members:
            if is_stubbable_star(d):
                found.update((f.function_name, LazyFixture(module.stem, d, f.function_name)) for f in d.fixtures)
                continue
            if d.star is not None and d.star.blocker is not None and d.fixtures:
                raise UserError(
                    f"{module.stem}.py is loaded lazily, but the fixtures of its `from {d.star.module} import *` "
                    f"can no longer be registered lazily ({d.star.blocker}); move that import (line "
                    f"{d.span.start_line}) to the root conftest or an eagerly loaded module"
                )
            if d.fixtures and (d.fixture is None or d.fixture.binding is not FixtureBinding.DECORATOR):
                raise UserError(
                    f"{module.stem}.py is loaded lazily and only decorated fixture functions can be "
                    f"registered lazily; move {', '.join(d.names) or 'the statement'} (line {d.span.start_line}) "
                    f"to an eagerly loaded module"
                )
            if d.fixture is not None:
                found[d.fixture.function_name] = LazyFixture(module.stem, d, d.fixture.function_name)
    order = [s.function_name for s in root.stubs if s.function_name in found]
    order += [name for name in found if name not in order]
    return [found[name] for name in order]


def is_stubbable_star(d: Definition) -> bool:
    """A star import in a lazily loaded module whose fixtures the root can stub (their ``def``s are visible)."""
    return (
        d.star is not None
        and d.star.blocker is None
        and bool(d.fixtures)
        and all(d.star.function(f.function_name) for f in d.fixtures)
    )


def _root_needs(root: SplitRoot, lazy_fixtures: Iterable[LazyFixture]) -> set[str]:
    """What the hand-written root reads at import, and what the stubs' decorators read."""
    names = {name for d in root.hand_written for name in needs(d)}
    return names | {name for f in lazy_fixtures for name in decorator_names(f.definition)}


def _check_root_needs(wanted: Iterable[str], homes: Mapping[str, SplitModule], modules: Sequence[SplitModule]) -> None:
    for name in sorted(wanted):
        home = homes.get(name)
        if home is not None and not home.eager:
            raise UserError(
                f"the root conftest (or a stub's decorator) reads {name!r}, which only the lazily loaded "
                f"{home.stem}.py defines; move {name} to an eagerly loaded module "
                f"({', '.join(m.stem + '.py' for m in modules if m.eager) or 'none yet'}) or into the root"
            )


def _exports(module: SplitModule, wanted: Iterable[str]) -> list[str]:
    """The names the root imports from an eager module: its fixtures and what the root needs."""
    names: list[str] = []
    for d in module.members:
        if d.fixtures or set(d.names) & set(wanted):
            names += [n for n in d.names if n not in names]
    return names


def check_not_hand_edited(conftest: Path, root: SplitRoot, section: str, mode: black.Mode) -> None:
    """The generated code (the finder, the guard, the stubs' bodies) is as splitter writes it."""
    fresh = {name: s for s in cst.parse_module(section).body for name in _bound(s)}
    for d in root.model.definitions:
        if d.index not in root.generated:
            continue
        names = set(_bound(d.statement)) & FIXED_CODE
        edited = [n for n in names if n in fresh and not _same(fresh[n], d.statement)]
        if not edited and d.index in {s.definition for s in root.stubs}:
            edited = [] if _is_generated_stub(d, mode) else list(d.names)
        if edited:
            raise UserError(
                f"the generated section of {conftest} was edited by hand ({edited[0]}, line {d.span.start_line}); "
                f"undo that edit (put your code in the split modules or outside the generated section), "
                f"then run `splitter sync` again"
            )


def _bound(statement: cst.CSTNode) -> list[str]:
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return [statement.name.value]
    if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Assign):
        target = statement.body[0].targets[0].target
        return [target.value] if isinstance(target, cst.Name) else []
    return []


def _same(fresh: cst.CSTNode, old: cst.BaseStatement) -> bool:
    if isinstance(old, (cst.SimpleStatementLine, cst.BaseCompoundStatement)) and isinstance(
        fresh, (cst.SimpleStatementLine, cst.BaseCompoundStatement)
    ):
        return fresh.with_changes(leading_lines=()).deep_equals(old.with_changes(leading_lines=()))
    return fresh.deep_equals(old)


def _is_generated_stub(d: Definition, mode: black.Mode) -> bool:
    """Whether a stub's body is the one splitter renders for its own decorators and arguments."""
    statement = d.statement
    if not isinstance(statement, cst.FunctionDef) or d.fixture is None:
        return False
    expected = cst.parse_statement(format_source(render_stub(stub_spec(statement, d.fixture.kind)), mode))
    assert isinstance(expected, cst.FunctionDef)
    return expected.body.deep_equals(statement.body)


def splice(source: str, root: SplitRoot, loader: str, lazy: str) -> str:
    """``source`` with its loader block replaced by ``loader`` and its lazy tail by ``lazy``."""
    regions = statement_regions(source)
    pieces: list[str] = []
    for index, (start, end) in enumerate(regions):
        text = source[start:end]
        if index == (root.loader[0] if root.loader else -1):
            pieces.append(_blank_prefix(text) + loader)
        elif index == (root.lazy[0] if root.lazy else -1):
            pieces.append(_blank_prefix(text) + lazy if lazy else "")
        elif index not in root.generated:
            pieces.append(text)
    head = source[: regions[0][0]] if regions else source
    tail = source[regions[-1][1] :] if regions else ""
    new = head + "".join(pieces) + tail
    if lazy and not root.lazy:
        new = new.rstrip("\n") + "\n\n\n" + lazy
    return new


def _blank_prefix(text: str) -> str:
    """The blank lines a statement's text starts with."""
    stripped = text.lstrip("\r\n")
    return text[: len(text) - len(stripped)]


def describe_stale(root: SplitRoot, modules: Sequence[SplitModule], new: str) -> tuple[str, ...]:
    """What changed in the split modules that the loader does not reflect yet, one sentence each."""
    new_root = read_split_root(parse_conftest(new, root.model.path))
    old_table, new_table = dict(root.lazy_table), dict(new_root.lazy_table)
    old_imported, new_imported = _imported(root), _imported(new_root)
    stale: list[str] = []
    for module in modules:
        for d in module.members:
            if d.fixture is None:
                continue
            name = d.fixture.function_name
            where = f"fixture {name!r} in {module.stem}.py"
            before = old_table.get(name) or old_imported.get(name)
            if before is None:
                stale.append(f"{where} is not registered")
            elif before != module.stem:
                stale.append(f"{where} moved there from {before}.py")
            elif name in new_table and _stub_code(root, name) != _stub_code(new_root, name):
                stale.append(f"{where} changed its decorator or arguments")
    for name, stem in old_table.items():
        if name not in new_table and name not in new_imported:
            stale.append(f"fixture {name!r} is registered but no longer in {stem}.py")
    defined = {name for module in modules for d in module.members for name in d.names}
    for name, stem in old_imported.items():
        if name not in defined:
            stale.append(f"{name!r} is imported from {stem}.py but no longer defined there")
    if not stale and (old_imported != new_imported or root.lazy_table != new_root.lazy_table):
        stale.append("the names the loader imports from the split modules changed")
    return tuple(dict.fromkeys(stale)) or ("the generated loader section differs from what splitter generates",)


def _imported(root: SplitRoot) -> dict[str, str]:
    """Names the loader imports at once, and the module each comes from."""
    found: dict[str, str] = {}
    for index in root.loader:
        statement = root.model.definitions[index].statement
        line = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if isinstance(line, cst.ImportFrom) and line.module is not None and not isinstance(line.names, cst.ImportStar):
            stem = cst.Module([]).code_for_node(line.module)
            if stem in root.stems:
                found.update((cst.Module([]).code_for_node(a.name), stem) for a in line.names)
    return found


def _stub_code(root: SplitRoot, function_name: str) -> str:
    for stub in root.stubs:
        if stub.function_name == function_name:
            statement = root.model.definitions[stub.definition].statement
            return cst.Module([]).code_for_node(statement.with_changes(leading_lines=()))
    return ""
