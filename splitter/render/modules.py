"""Render a plan into the new root conftest and the split modules (pure)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import libcst as cst

from splitter.model import ConftestModel, Definition, Kind
from splitter.plan.assign import GROUP_ORDER, SplitPlan, needs
from splitter.plan.units import Unit
from splitter.render.imports import dotted_imports, filter_import, is_future_import, sibling_import
from splitter.render.layout import Edge, Part, definition_part, generated, join
from splitter.render.loader import render_lazy_names, render_lazy_table, render_loader
from splitter.render.stubs import render_stub, stub_spec
from splitter.settings import Group

DESCRIPTIONS: Mapping[Group, str] = {
    Group.BASE: "Cheap fixtures and shared state: data, users, contexts, helpers",
    Group.MOCKS: "Mock-based fixtures: fake clients and managers",
    Group.SERVICES: "Service fixtures: database sessions, managers, the app and its client",
    Group.REAL_SERVICES: "Fixtures that connect to real services",
    Group.E2E: "End-to-end fixtures: servers, load clients, environment checks",
}

# Kinds that run when the root conftest is imported, so a name they read must be
# bound before them (function bodies, like hooks, run later).
EXECUTED_AT_IMPORT = frozenset({Kind.SIDE_EFFECT, Kind.CONDITIONAL, Kind.UNMOVABLE, Kind.PYTEST_PLUGINS, Kind.CONSTANT})


@dataclass(frozen=True)
class RenderedFile:
    """One file of the split, relative to the conftest's directory, unformatted."""

    name: str
    source: str


def render_split(
    model: ConftestModel, plan: SplitPlan, *, conftest_name: str, package: bool, version: str
) -> tuple[RenderedFile, ...]:
    """The new root conftest followed by one file per module of the plan."""
    renderer = _Renderer(model, plan, package=package, version=version)
    files = [RenderedFile(conftest_name, renderer.root())]
    files += [RenderedFile(f"{u.stem}.py", renderer.module(u, conftest_name)) for u in plan.units]
    return tuple(files)


class _Renderer:
    def __init__(self, model: ConftestModel, plan: SplitPlan, *, package: bool, version: str) -> None:
        self.model = model
        self.plan = plan
        self.package = package
        self.version = version
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
        header = f'"""{_description(unit)}.\n\nSplit out of {conftest_name} by splitter; {how}.\n"""\n'
        chains = self.chains_read(members, used)
        parts = [generated(header, Edge.OTHER, Edge.DOCSTRING), *self.imports(used, chains), *self.siblings(unit, used)]
        parts += [definition_part(d) for d in members]
        return join(parts)

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
        return filter_import(d.tree, used, chains, dotted)

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
        if not self.plan.moves_anything:
            return self.model.source
        root_defs = [self.model.definitions[p.definition] for p in self.plan.placements if p.group is None and not p.copied]
        eager = self.eager_exports()
        exported = {name for names in eager.values() for name in names}
        wanted = set(self.plan.root_needs) | set(self.plan.test_imports) | {"pytest"}
        used = self.with_copied_uses(_uses(root_defs) | wanted)
        parts: list[Part] = []
        loader_done = False
        for p in self.plan.placements:
            d = self.model.definitions[p.definition]
            if not loader_done and not p.copied and p.group is None and self.needs_modules(d, exported):
                parts += self.loader_block(eager)
                loader_done = True
            if p.copied:
                text = self.filtered_import(d, used)
                if text is not None:
                    parts.append(definition_part(d, text))
            elif p.group is None:
                parts.append(definition_part(d))
        if "pytest" not in self.bound_in_root(used):
            parts.insert(self.after_docstring_and_future(parts), generated("import pytest", Edge.IMPORT))
        if not loader_done:
            parts += self.loader_block(eager)
        parts += self.lazy_block()
        return join(parts)

    def after_docstring_and_future(self, parts: list[Part]) -> int:
        """Where an import can go: after the module docstring and ``from __future__`` imports."""
        index = 0
        while index < len(parts) and (i := parts[index].index) is not None:
            d = self.model.definitions[i]
            if d.kind is not Kind.DOCSTRING and not is_future_import(d.tree):
                break
            index += 1
        return index

    def needs_modules(self, d: Definition, exported: Collection[str]) -> bool:
        return d.kind in EXECUTED_AT_IMPORT and bool(set(d.uses) & set(exported))

    def bound_in_root(self, used: Collection[str]) -> set[str]:
        names: set[str] = set()
        for p in self.plan.placements:
            d = self.model.definitions[p.definition]
            if p.copied and self.filtered_import(d, used) is not None:
                names |= set(d.names)
        return names

    def eager_exports(self) -> dict[Unit, list[str]]:
        """Per eager module, the names the root imports: its fixtures and what the root needs."""
        exports: dict[Unit, list[str]] = {}
        for unit in self.plan.units:
            if not self.plan.settings.is_eager(unit.group):
                continue
            names: list[str] = []
            for index in self.plan.unit_members(unit):
                d = self.model.definitions[index]
                if d.fixtures or set(d.names) & (self.plan.root_needs | self.plan.test_imports):
                    names += [n for n in d.names if n not in names]
            exports[unit] = names
        return exports

    def loader_block(self, eager: Mapping[Unit, list[str]]) -> list[Part]:
        stems = [u.stem for u in self.plan.units]
        lazy = bool(self.plan.lazy) or bool(self.lazy_names_block())
        parts = [generated(render_loader(stems, package=self.package, version=self.version, lazy=lazy), Edge.OTHER)]
        parts += [
            generated(sibling_import(u.stem, names, relative=self.package), Edge.IMPORT)
            for u, names in eager.items()
            if names
        ]
        return parts

    def lazy_block(self) -> list[Part]:
        return [*self.lazy_names_block(), *self.lazy_fixtures_block()]

    def lazy_names_block(self) -> list[Part]:
        """Names tests import from the conftest that live in lazily loaded modules."""
        lazy_names = {
            name: home.stem
            for name in sorted(self.plan.test_imports)
            if (home := self.home.get(name)) is not None and not self.plan.settings.is_eager(home.group)
        }
        return [generated(render_lazy_names(lazy_names), Edge.OTHER, Edge.DEF)] if lazy_names else []

    def lazy_fixtures_block(self) -> list[Part]:
        if not self.plan.lazy:
            return []
        table: dict[str, str] = {}
        stubs: list[str] = []
        for p in self.plan.placements:
            d = self.model.definitions[p.definition]
            fixture = d.fixture
            if fixture is None or p.unit is None or fixture.function_name not in self.plan.lazy:
                continue
            table[fixture.function_name] = p.unit.stem
            function = d.statement
            assert isinstance(function, cst.FunctionDef)
            stubs.append(render_stub(stub_spec(function, fixture.kind)))
        return [generated(render_lazy_table(table), Edge.OTHER, Edge.DEF), *(generated(stub, Edge.DEF) for stub in stubs)]


def _description(unit: Unit) -> str:
    """The first line of a module's docstring: its tier, and the heavy packages of its part."""
    if not unit.needs:
        return DESCRIPTIONS[unit.group]
    return f"{DESCRIPTIONS[unit.group]} (the part that imports {', '.join(unit.needs)})"


def _uses(definitions: Collection[Definition]) -> set[str]:
    return {name for d in definitions for name in needs(d)}
