"""Render a plan into the new root conftest and the split modules (pure)."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from splitter.analyze.split import LOADER_STEM
from splitter.model import ConftestModel, Definition, Kind
from splitter.plan.assign import GROUP_ORDER, SplitPlan, decorator_names, imported_fixture_names, is_import_like, needs
from splitter.plan.units import Unit
from splitter.render.format import CodeStyle
from splitter.render.bindings import Binding, block_import, import_bindings, import_lines
from splitter.render.imports import dotted_imports, filter_import, is_future_import, sibling_import
from splitter.render.layout import Edge, Part, definition_part, generated, join
from splitter.render.localize import body_imports, localize_imports, top_level_names
from splitter.render.loader import ROOT_BLOCK, render_loader_module
from splitter.render.stubs import definition_stubs, render_stub
from splitter.settings import Group

DESCRIPTIONS: Mapping[Group, str] = {
    Group.BASE: "Cheap fixtures and shared state: data, users, contexts, helpers",
    Group.MOCKS: "Mock-based fixtures: fake clients and managers",
    Group.SERVICES: "Service fixtures: database sessions, managers, the app and its client",
    Group.REAL_SERVICES: "Fixtures that connect to real services",
    Group.E2E: "End-to-end fixtures: servers, load clients, environment checks",
}

ADD_FIXTURE = "To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then)."


@dataclass(frozen=True)
class RenderedFile:
    """One file of the split, relative to the conftest's directory, formatted."""

    name: str
    source: str


def render_split(
    model: ConftestModel,
    plan: SplitPlan,
    *,
    conftest_name: str,
    package: bool,
    version: str,
    style: CodeStyle | None = None,
) -> tuple[RenderedFile, ...]:
    """The new root conftest, the generated loader module, then one file per module of the plan, formatted.

    The root keeps the statements that stay in it byte for byte (its header
    comments too); what splitter writes is black-formatted; moved definitions
    are reformatted only when ``style`` says the project uses black.
    """
    renderer = _Renderer(model, plan, package=package, version=version, style=style or CodeStyle())
    modules = [RenderedFile(f"{u.stem}.py", renderer.module(u, conftest_name)) for u in plan.units]
    renderer.rendered = {u.stem: f.source for u, f in zip(plan.units, modules)}
    files = [RenderedFile(conftest_name, renderer.root())]
    if plan.moves_anything:
        files.append(RenderedFile(f"{LOADER_STEM}.py", renderer.loader_module()))
    return (*files, *modules)


class _Renderer:
    def __init__(self, model: ConftestModel, plan: SplitPlan, *, package: bool, version: str, style: CodeStyle) -> None:
        self.style = style
        self.model = model
        self.plan = plan
        self.package = package
        self.version = version
        self.rendered: dict[str, str] = {}  # stem -> the split module as rendered (render_split fills it)
        self.dotted = dotted_imports([model.definitions[p.definition].tree for p in plan.placements if p.copied])
        self.home: dict[str, Unit] = {
            name: p.unit
            for p in plan.placements
            if p.unit is not None and not p.copied
            for name in model.definitions[p.definition].names
        }

    # -- modules ----------------------------------------------------------------------

    def module(self, unit: Unit, conftest_name: str) -> str:
        members = [self.model.definitions[i] for i in self.plan.unit_members(unit)]
        used = self.with_copied_uses(_uses(members))
        lazy = "loaded lazily, when a test first needs one of its fixtures"
        how = "loaded eagerly by the conftest" if self.plan.settings.is_eager(unit.group) else lazy
        header = f'"""{_description(unit)}.\n\nSplit out of {conftest_name} by splitter; {how}.\n{ADD_FIXTURE}\n"""\n'
        chains = self.chains_read(members, used)
        parts = [generated(header, Edge.OTHER, Edge.DOCSTRING), *self.imports(used, chains), *self.siblings(unit, used)]
        parts += [definition_part(d) for d in members]
        if self.style.reformat_moved:
            return self.style.generated(self.localized(join(parts)))
        return self.localized(join(parts, self.style.generated))

    def localized(self, source: str) -> str:
        """``source`` with its heavy imports moved into the bodies that read them (load by need)."""
        heavy = self.plan.heavy_imports
        return localize_imports(source, lambda module, level: level == 0 and module in heavy)

    def with_copied_uses(self, used: set[str]) -> set[str]:
        """``used`` plus what the copied blocks it pulls in use (``if TYPE_CHECKING:`` needs ``TYPE_CHECKING``)."""
        copied = [self.model.definitions[p.definition] for p in self.plan.placements if p.copied]
        while True:
            more = {n for d in copied if d.kind is not Kind.IMPORT and set(d.names) & used for n in d.uses}
            if more <= used:
                return used
            used = used | more

    def chains_read(self, members: list[Definition], used: Collection[str]) -> frozenset[str]:
        """What ``members`` read, plus what the copied blocks they pull in read themselves."""
        blocks = [
            d
            for p in self.plan.placements
            if p.copied
            and (d := self.model.definitions[p.definition]).kind is not Kind.IMPORT
            and set(d.names) & set(used)
        ]
        return frozenset().union(*(d.reads for d in [*members, *blocks]))

    def imports(self, used: Collection[str], chains: Collection[str]) -> list[Part]:
        """The copied import statements, filtered to ``used``, in source order."""
        kept: list[Part] = []
        for p in self.plan.placements:
            if not p.copied:
                continue
            d = self.model.definitions[p.definition]
            text = self.filtered_import(d, used, chains, self.dotted)
            if text is not None:
                kept.append(definition_part(d, text))
        return kept

    def filtered_import(
        self, d: Definition, used: Collection[str], chains: Collection[str] | None = None, dotted: Collection[str] = ()
    ) -> str | None:
        if not set(d.names) & set(used) and not is_future_import(d.tree):
            return None
        type_checking_only = bool(d.imports) and not any(m.runtime for m in d.imports)
        return filter_import(d.tree, used, chains, dotted, type_checking_only=type_checking_only)

    def siblings(self, unit: Unit, used: Collection[str]) -> list[Part]:
        wanted: dict[Unit, set[str]] = {}
        for name in used:
            home = self.home.get(name)
            if home is not None and home != unit:
                if GROUP_ORDER.index(home.group) > GROUP_ORDER.index(unit.group):
                    raise RuntimeError(f"plan error: {unit.stem} would import {name} from {home.stem}")
                wanted.setdefault(home, set()).add(name)
        return [
            generated(sibling_import(u.stem, wanted[u], relative=self.package), Edge.IMPORT)
            for u in self.plan.units
            if u in wanted
        ]

    # -- the root conftest ---------------------------------------------------------------

    def root(self) -> str:
        """The root conftest: the statements that stay, byte for byte and in order, with
        one generated block that runs the loader module, and the imports of what the
        remaining statements read from the split modules right after it."""
        if not self.plan.moves_anything:
            return self.model.source
        reads = self.root_reads()
        bound = set(self.exports()) | {n for names in reads.values() for n in names}
        used = self.root_used()
        parts: list[Part] = []
        block_done = False
        for p in self.plan.placements:
            d = self.model.definitions[p.definition]
            if not block_done and not p.copied and p.group is None and self.needs_modules(d, bound):
                parts += self.loader_block(reads)
                block_done = True
            if p.copied:
                text = self.filtered_import(d, used)
                if text is not None:
                    parts.append(definition_part(d, text))
            elif p.group is None:
                parts.append(definition_part(d))
        if not block_done:
            parts += self.loader_block(reads)
        return join(parts, self.style.generated, header=self.model.header)

    def needs_modules(self, d: Definition, bound: Collection[str]) -> bool:
        return bool(_read_at_import(d) & set(bound))

    def loader_block(self, reads: Mapping[Unit, Collection[str]]) -> list[Part]:
        """The generated block, then an ordinary import per split module the root reads from."""
        parts = [generated(ROOT_BLOCK, Edge.DEF, Edge.OTHER)]
        parts += [generated(sibling_import(u.stem, names, relative=self.package), Edge.IMPORT) for u, names in reads.items()]
        return parts

    def root_definitions(self) -> list[Definition]:
        return [self.model.definitions[p.definition] for p in self.plan.placements if p.group is None and not p.copied]

    def root_reads(self) -> dict[Unit, list[str]]:
        """Per split module, the names the root's remaining statements read from it (an eager one)."""
        wanted = _uses(self.root_definitions())
        reads: dict[Unit, list[str]] = {}
        for unit in self.plan.units:
            names = sorted(n for n in wanted if self.home.get(n) == unit)
            if names and not self.plan.settings.is_eager(unit.group):
                raise RuntimeError(f"plan error: the root conftest reads {names[0]} from {unit.stem}, which loads lazily")
            if names:
                reads[unit] = names
        return reads

    def root_used(self) -> set[str]:
        """The names the root conftest reads, so the imports it keeps.

        What only the stubs' decorators read is imported by the loader module instead.
        """
        own = _uses(self.root_definitions())
        stub_only = self.stub_decorator_names() - own - imported_fixture_names(self.model.definitions)
        wanted = (set(self.plan.root_needs) - stub_only) | set(self.plan.test_imports)
        return self.with_copied_uses(own | wanted)

    def bound_in_root(self, used: Collection[str]) -> set[str]:
        names: set[str] = set()
        for p in self.plan.placements:
            d = self.model.definitions[p.definition]
            if p.copied and self.filtered_import(d, used) is not None:
                names |= set(d.names)
        return names

    # -- the loader module ----------------------------------------------------------------

    def loader_module(self) -> str:
        """``conftest_loader.py``: finder, guard, eager imports, stubs, the ``conftest.X`` table."""
        stubs, table = self.stubs()
        eager = self.eager_fixtures()
        from_modules, imports = self.decorator_imports()
        imported = {u.stem: sorted(set(eager.get(u, [])) | set(from_modules.get(u, []))) for u in self.plan.units}
        moved, lazy_imports = self.moved, self.body_imported
        exports = [*(n for u in self.plan.units for n in sorted(eager.get(u, []))), *table]
        exports += ["__getattr__"] if moved or lazy_imports else []
        text = render_loader_module(
            stems=[u.stem for u in self.plan.units],
            eager={stem: names for stem, names in imported.items() if names},
            imports=imports,
            lazy_names=moved,
            lazy_fixtures=table,
            stubs=stubs,
            exports=exports,
            package=self.package,
            version=self.version,
            lazy_imports=lazy_imports,
        )
        return self.style.generated(text)

    @functools.cached_property
    def body_imported(self) -> dict[str, str]:
        """``conftest.X`` for names the conftest imported whose import moved into function bodies.

        Read from the rendered modules, so :func:`render_split` renders them first.
        """
        if self.own_getattr:
            return {}
        sources = [self.rendered[u.stem] for u in self.plan.units if u.stem in self.rendered]
        return lazy_imports(sources, set(self.moved) | self.bound_names())

    @functools.cached_property
    def own_getattr(self) -> bool:
        """Whether the conftest defines its own module ``__getattr__`` (splitter then leaves it alone)."""
        return "__getattr__" in {n for d in self.model.definitions for n in d.names}

    def eager_fixtures(self) -> dict[Unit, list[str]]:
        """Per eagerly loaded module, the names of its definitions that register fixtures."""
        found: dict[Unit, list[str]] = {}
        for unit in self.plan.units:
            if self.plan.settings.is_eager(unit.group):
                members = [self.model.definitions[i] for i in self.plan.unit_members(unit)]
                found[unit] = list(dict.fromkeys(n for d in members if d.fixtures for n in d.names))
        return found

    def exports(self) -> list[str]:
        """What the root binds through the loader: every fixture of the split, and ``__getattr__``."""
        names = [n for names in self.eager_fixtures().values() for n in names] + list(self.plan.lazy)
        return names + (["__getattr__"] if self.moved or self.body_imported else [])

    def lazy_definitions(self) -> list[tuple[Unit, Definition]]:
        """The definitions of lazily loaded fixtures, with their module, in source order."""
        found = []
        for p in self.plan.placements:
            d = self.model.definitions[p.definition]
            if p.unit is not None and any(f.function_name in self.plan.lazy for f in d.fixtures):
                found.append((p.unit, d))
        return found

    def stubs(self) -> tuple[list[str], dict[str, str]]:
        """The stubs' sources and the ``_LAZY_FIXTURES`` table (function name -> module)."""
        table: dict[str, str] = {}
        stubs: list[str] = []
        for unit, d in self.lazy_definitions():
            for function_name, spec in definition_stubs(d):
                table[function_name] = unit.stem
                stubs.append(render_stub(spec))
        return stubs, table

    def stub_decorator_names(self) -> set[str]:
        return {n for _, d in self.lazy_definitions() for n in decorator_names(d)}

    def decorator_imports(self) -> tuple[dict[Unit, list[str]], list[str]]:
        """What the stubs' decorators read: names of the eager modules, and other import lines."""
        names = self.stub_decorator_names()
        in_root = {n for d in self.root_definitions() for n in d.names}
        from_modules: dict[Unit, list[str]] = {}
        bindings: list[Binding] = []
        blocks: list[str] = []
        for name in sorted(names):
            if name in in_root:  # the planner keeps such a fixture in the root
                raise RuntimeError(f"plan error: a stub's decorator reads {name}, which stays in the root conftest")
            home = self.home.get(name)
            if home is not None:
                if not self.plan.settings.is_eager(home.group):
                    raise RuntimeError(f"plan error: a stub's decorator reads {name} from {home.stem}, which loads lazily")
                from_modules.setdefault(home, []).append(name)
                continue
            for p in self.plan.placements:
                d = self.model.definitions[p.definition]
                if not p.copied or name not in d.names:
                    continue
                found = import_bindings(d.tree, {name})
                if found is None:
                    block = block_import(d.tree, {name})
                    blocks += [block] if block is not None else []
                else:
                    bindings += found
        return from_modules, import_lines(bindings, blocks)

    @functools.cached_property
    def moved(self) -> dict[str, str]:
        """Every name the conftest bound that the root no longer binds, and the module now binding it.

        DESIGN.md's contract keeps the conftest's namespace: ``conftest.X`` (and
        ``from tests.conftest import X``) must still find each name, so the root
        answers them with a module ``__getattr__`` that imports their module on
        first use — a lazily loaded module is still imported only when asked.
        Imported names are left out: tests reach those where they are defined.
        """
        if self.own_getattr:
            return {}  # the conftest has its own: leave it alone (the verifier reports what is lost)
        members = {u.stem: [self.model.definitions[i] for i in self.plan.unit_members(u)] for u in self.plan.units}
        imported = {stem: self.kept_import_names(defs) for stem, defs in members.items()}
        for stem in imported:  # what the module's top still imports once heavy imports moved into bodies
            if stem in self.rendered:
                imported[stem] &= top_level_names(self.rendered[stem])
        return moved_names([u.stem for u in self.plan.units], members, imported, self.bound_names())

    def bound_names(self) -> set[str]:
        """What the root conftest still binds itself (or through the loader's exports)."""
        root_used = self.root_used()
        bound = {n for d in self.root_definitions() for n in d.names} | set(self.plan.lazy) | {"pytest", "__getattr__"}
        bound |= {n for names in self.eager_fixtures().values() for n in names}
        bound |= {n for names in self.root_reads().values() for n in names}
        return bound | (self.bound_in_root(root_used) & root_used)

    def kept_import_names(self, members: list[Definition]) -> set[str]:
        """What the plain imports a module keeps bind (as :func:`plain_import_names` reads them back)."""
        used = self.with_copied_uses(_uses(members))
        kept = [
            d
            for p in self.plan.placements
            if p.copied and self.filtered_import(d := self.model.definitions[p.definition], used) is not None
        ]
        return plain_import_names(kept, used) & used


def _read_at_import(d: Definition) -> set[str]:
    """Names ``d`` reads while the module is imported: all of them, but only the decorators of a function."""
    if isinstance(d.statement, cst.FunctionDef):
        return decorator_names(d)
    return set(d.uses)


def _description(unit: Unit) -> str:
    """The first line of a module's docstring: its tier, and the heavy packages of its part."""
    if not unit.needs:
        return DESCRIPTIONS[unit.group]
    return f"{DESCRIPTIONS[unit.group]} (the part that imports {', '.join(unit.needs)})"


def _uses(definitions: Collection[Definition]) -> set[str]:
    return {name for d in definitions for name in needs(d)}


def moved_names(
    stems: Sequence[str],
    members: Mapping[str, Sequence[Definition]],
    imported: Mapping[str, Collection[str]],
    bound: Collection[str],
) -> dict[str, str]:
    """Each name the split modules bind that the root does not, and the module to find it in.

    The one rule for the loader's ``_LAZY_NAMES``, used by migrate and by sync alike:
    what a module defines first, then what its plain imports bind (``conftest.np``);
    a name two modules bind is found in the first (the cheapest). ``TYPE_CHECKING`` is left
    out: moving imports into bodies may add its import to a module, and sync, which reads
    only the split, cannot tell that one from the conftest's own (a test never reads it).
    """
    moved: dict[str, str] = {}
    named = [(stem, n) for stem in stems for d in members[stem] if not is_import_like(d) for n in d.names]
    named += [(stem, n) for stem in stems for n in sorted(imported.get(stem, ()))]
    for stem, name in named:
        if name not in bound and name != "TYPE_CHECKING" and not (name.startswith("__") and name.endswith("__")):
            moved.setdefault(name, stem)
    return dict(sorted(moved.items()))


def plain_import_names(definitions: Iterable[Definition], used: Collection[str] | None = None) -> set[str]:
    """The names a module's imports and import blocks bind (``__future__`` aside).

    A block (``try: import yaml … except ImportError: HAS_YAML = False``) counts with the
    names of it the module uses (``used``; by default, what its other statements read).
    """
    definitions = list(definitions)
    if used is None:
        used = {n for d in definitions if not is_import_like(d) for n in needs(d)}
    names = set()
    for d in definitions:
        if not is_import_like(d) or is_future_import(d.tree):
            continue
        names |= set(d.names) if d.kind is Kind.IMPORT else set(d.names) & set(used)
    return names


def lazy_imports(sources: Sequence[str], bound: Collection[str]) -> dict[str, str]:
    """The one rule for ``_LAZY_IMPORTS``, used by migrate and by sync alike: what the leading
    imports of the split modules' function bodies bind (first module first), less what the
    modules bind at their top and what ``bound`` (the root, ``_LAZY_NAMES``) already answers."""
    taken = set(bound).union(*(top_level_names(source) for source in sources))
    found: dict[str, str] = {}
    for source in sources:
        for name, target in body_imports(source).items():
            if name not in taken and not (name.startswith("__") and name.endswith("__")):
                found.setdefault(name, target)
    return dict(sorted(found.items()))
