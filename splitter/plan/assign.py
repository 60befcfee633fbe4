"""Plan the split: assign every definition of the conftest to one place (pure).

The invariants (DESIGN.md, plan):
- every definition lands in exactly one place: the root conftest or one module;
  imports are the exception: each module gets its own copy of those it uses;
- module-level state exists once and is imported where used, never duplicated;
  a global some function rebinds (``global X``) lives with everything that uses it;
- helpers go to the cheapest module all their users can import (modules import
  only from cheaper ones, so the split has no import cycles);
- hooks, ``pytest_plugins``, side effects, conditional blocks that define fixtures
  and unmovable statements stay in the root conftest, in their original order,
  and so does everything that needs a name only they bind;
- the plan is deterministic: the same input gives the same plan.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

import libcst as cst

from splitter.analyze.effects import Effects, binds_immutable_value, statement_effects
from splitter.analyze.impact import resolve_module
from splitter.model import Analysis, Definition, Fixture, FixtureBinding, Impact, ImportedModule, Kind
from splitter.plan.order import (
    changes_process_state,
    crosses_opaque,
    state_paths,
    import_time_effects,
    loader_position,
    state_groups,
)
from splitter.plan.units import Unit, is_heavy, static_costs, unit_order
from splitter.settings import Group, SplitSettings

ROOT_KINDS = frozenset({Kind.HOOK, Kind.PYTEST_PLUGINS, Kind.SIDE_EFFECT, Kind.UNMOVABLE, Kind.DOCSTRING})
GROUP_ORDER = tuple(Group)

E2E_WORDS = ("e2e", "server", "browser", "selenium", "playwright", "throughput", "high_volume", "load_test")
MOCK_WORDS = ("mock", "fake", "stub", "dummy")
MOCK_CALLS = ("unittest.mock.", "mock.", "pytest_mock.")


@dataclass(frozen=True)
class Placement:
    """Where one definition goes and why.

    ``group`` is ``None`` for the root conftest. ``copied`` marks imports (and
    import-only conditional blocks), which every module that uses them copies.
    """

    definition: int
    group: Group | None
    reason: str
    copied: bool = False
    unit: Unit | None = None  # the module it lands in: its tier's


@dataclass(frozen=True)
class SplitPlan:
    """The whole assignment, in source order, plus what the loader must do."""

    placements: tuple[Placement, ...]
    lazy: tuple[str, ...]  # function names of fixtures the root registers as lazy stubs
    root_needs: frozenset[str]  # names the root must bind at import (hooks, side effects, stubs)
    test_imports: frozenset[str]  # names tests import from the conftest (eager or lazy re-exports)
    settings: SplitSettings
    warnings: tuple[str, ...] = ()
    heavy_imports: frozenset[str] = frozenset()  # modules (as imported) whose imports move into the bodies that read them

    def members(self, group: Group) -> tuple[int, ...]:
        """Indexes of the definitions placed in ``group``'s module, in source order."""
        return tuple(p.definition for p in self.placements if p.group is group and not p.copied)

    @property
    def groups(self) -> tuple[Group, ...]:
        """The modules this plan creates, cheapest first."""
        return tuple(g for g in GROUP_ORDER if self.members(g))

    @property
    def units(self) -> tuple[Unit, ...]:
        """The modules this plan creates, cheapest first (docs/LAZY_UNITS.md)."""
        return unit_order(p.unit for p in self.placements if p.unit is not None and not p.copied)

    def unit_members(self, unit: Unit) -> tuple[int, ...]:
        """Indexes of the definitions placed in ``unit``'s module, in source order."""
        return tuple(p.definition for p in self.placements if p.unit == unit and not p.copied)

    @property
    def moves_anything(self) -> bool:
        """False when every definition stays in the root conftest."""
        return bool(self.groups)

    def placement(self, index: int) -> Placement:
        """The placement of definition ``index``."""
        return self.placements[index]


def plan_split(
    analysis: Analysis, settings: SplitSettings, test_imports: Iterable[str] = (), test_writes: Iterable[str] = ()
) -> SplitPlan:
    """Assign every definition of ``analysis.model`` to the root conftest or a module.

    ``test_imports`` are the names test modules import from the conftest; they
    must stay importable from it, so they land in the root or an eager module.
    ``test_writes`` are the names tests set on the conftest module
    (``monkeypatch.setattr(conftest, "X", …)``): they stay in the root with
    everything that reads them, so every reader sees the new value.
    """
    planner = _Planner(analysis, settings, frozenset(test_imports))
    planner.test_writes = frozenset(test_writes)
    return planner.plan()


class _Planner:
    """The steps of :func:`plan_split`, sharing the indexes they need."""

    def __init__(self, analysis: Analysis, settings: SplitSettings, test_imports: frozenset[str]) -> None:
        self.analysis = analysis
        self.settings = settings
        self.test_imports = test_imports
        self.definitions = analysis.model.definitions
        self.binders = _binders(self.definitions)
        self.users = _users(self.definitions)
        self.costs = {cost.module: cost for cost in analysis.modules}
        self.warnings: list[str] = []
        self.copied = frozenset(d.index for d in self.definitions if is_import_like(d))
        self.test_writes: frozenset[str] = frozenset()
        self.held: set[int] = set()  # kept in the root so they keep their order with process state
        # star imports of fixture modules that load lazily (docs/LAZY_UNITS.md), and those kept
        # in the root with the reason
        self.star_kept: dict[int, str] = {}
        self.stars = self.lazy_star_imports()

    def plan(self) -> SplitPlan:
        copied = self.copied
        held = self.held
        while True:
            self.warnings = []
            root = self.pin_to_root(copied, held)
            placed: dict[int, tuple[Group, str]] = {}
            for d in self.definitions:
                if d.index in root or d.index in copied:
                    continue
                if d.fixture is not None:
                    placed[d.index] = self.fixture_group(d, d.fixture)
                elif d.index in self.stars:
                    placed[d.index] = self.star_group(d)
            stub_needs = self.stub_decorator_needs(placed)
            root_needs = frozenset(
                self.root_uses(root)
                | stub_needs
                | imported_fixture_names(self.definitions)
                | self.side_effect_import_names
            )
            placed = self.place_helpers(placed, root, copied, root_needs)
            eager_stars = self.eager_stars(placed)
            crossing = self.out_of_order(root, placed)
            if not crossing and not eager_stars:
                break
            held |= crossing
        units = self.units(placed)
        placements = tuple(self.placement(d, root, copied, placed, units) for d in self.definitions)
        lazy = tuple(
            f.function_name
            for d in self.definitions
            if (d.fixture is not None or d.index in self.stars)
            and d.index in placed
            and not self.settings.is_eager(placed[d.index][0])
            for f in d.fixtures
        )
        self.warnings += [f"keep: the conftest defines no `{name}`" for name in self.unknown_kept()]
        return SplitPlan(
            placements,
            lazy,
            root_needs,
            self.test_imports,
            self.settings,
            tuple(self.warnings),
            heavy_imports=self.heavy_imports(),
        )

    # -- the root conftest ----------------------------------------------------------

    def pin_to_root(self, copied: Set[int], held: Set[int] = frozenset()) -> set[int]:
        """What stays in the root: its kinds, what pytest reads from the conftest, what tests
        set on it, what must keep its order with the root, and everything needing a name only
        the root binds."""
        root = {
            d.index
            for d in self.definitions
            if (_stays_in_root(d) and d.index not in self.stars)
            or self.unbound(d)
            or self.written_by_tests(d)
            or self.kept(d)
        }
        root |= set(held) | self.read_from_outside
        changed = True
        while changed:
            changed = False
            root_names = {n for i in root for n in self.definitions[i].names}
            for d in self.definitions:
                if d.index in root or d.index in copied:
                    continue
                if needs(d) & root_names:
                    root.add(d.index)
                    changed = True
            for group in self.state_groups:
                if group & root and not group <= root:
                    root |= group
                    changed = True
        for index in sorted(root):
            d = self.definitions[index]
            if d.kind is Kind.UNMOVABLE:
                why = f" ({self.star_kept[index]})" if index in self.star_kept else ""
                self.warnings.append(f"line {d.span.start_line}: kept in the root conftest: {d.reason}{why}")
        return root

    def kept(self, d: Definition) -> set[str]:
        """Names of ``d`` (its own, or its fixtures') the user keeps in the root (``keep``, ``--keep``)."""
        if d.index in self.copied:
            return set()
        return (set(d.names) | {f.name for f in d.fixtures}) & self.settings.keep

    def unknown_kept(self) -> list[str]:
        """Kept names the conftest does not define (a typo, or a fixture defined elsewhere)."""
        defined = {n for d in self.definitions for n in (*d.names, *(f.name for f in d.fixtures))}
        return sorted(self.settings.keep - defined)

    def written_by_tests(self, d: Definition) -> set[str]:
        """Names ``d`` binds that tests set on the conftest module."""
        return set(d.names) & self.test_writes if d.index not in self.copied else set()

    def unbound(self, d: Definition) -> set[str]:
        """Names ``d`` reads that no module-level statement binds (star imports, ``exec``)."""
        return set(d.unresolved) - set(self.binders)

    def root_uses(self, root: set[int]) -> set[str]:
        return {n for i in root for n in needs(self.definitions[i])}

    # -- fixtures -------------------------------------------------------------------

    def fixture_group(self, d: Definition, fixture: Fixture) -> tuple[Group, str]:
        """The module a fixture belongs to, with the reason, before stubbing constraints."""
        group, reason = self.classify(d, fixture)
        if not self.settings.is_eager(group) and fixture.binding is not FixtureBinding.DECORATOR:
            return Group.BASE, f"{reason}, but a fixture made by a call cannot be loaded lazily"
        if not self.settings.is_eager(group) and fixture.inner_decorators:
            return Group.BASE, f"{reason}, but {fixture.inner_decorators[0]} changes its signature: no lazy stub"
        return group, reason

    def classify(self, d: Definition, fixture: Fixture) -> tuple[Group, str]:
        if fixture.name in self.settings.pins:
            return self.settings.pins[fixture.name], "pinned in [tool.splitter.pin]"
        name = fixture.name.lower()
        level = self.level(fixture.name)
        heavy = level >= self.settings.lazy_from
        closure = self.local_closure(fixture.name)
        if name.startswith("real_") or any(c.startswith("real_") for c in closure):
            return Group.REAL_SERVICES, "connects to a real service"
        if any(w in name for w in E2E_WORDS) or any(any(w in c for w in E2E_WORDS) for c in closure):
            return Group.E2E, "end-to-end: servers, browsers or load"
        if level >= Impact.VERY_HIGH:
            return Group.E2E, f"impact {level.name}"
        mocks = any(c.startswith(MOCK_CALLS) for c in d.calls) or any(w in name for w in MOCK_WORDS)
        if mocks and not heavy:
            return Group.MOCKS, "built from mocks"
        if heavy:
            return Group.SERVICES, f"impact {level.name}"
        return Group.BASE, f"cheap (impact {level.name})"

    def level(self, fixture_name: str) -> Impact:
        try:
            return self.analysis.rating(fixture_name).level
        except KeyError:
            return Impact.MINIMAL

    def local_closure(self, fixture_name: str) -> tuple[str, ...]:
        try:
            node = self.analysis.graph.node(fixture_name)
        except KeyError:
            return ()
        return tuple(c for c in node.closure if c != fixture_name and c not in node.externals)

    def stub_decorator_needs(self, placed: Mapping[int, tuple[Group, str]]) -> set[str]:
        """Names the decorators of lazy stubs evaluate in the root (params, scope callables)."""
        needs: set[str] = set()
        for index, (group, _) in placed.items():
            if not self.settings.is_eager(group):
                needs |= decorator_names(self.definitions[index])
        return needs & set(self.binders)

    # -- star-imported fixture modules (docs/LAZY_UNITS.md) ------------------------------

    def lazy_star_imports(self) -> set[int]:
        """Star imports whose fixtures may become lazy stubs; the others stay, with the reason."""
        stars: set[int] = set()
        for d in self.definitions:
            if d.star is None:
                continue
            later = [e for e in self.definitions[d.index + 1 :] if changes_process_state(e) and not _quiet_star(e)]
            if d.star.blocker is not None:
                self.star_kept[d.index] = d.star.blocker
            elif later:
                self.star_kept[d.index] = f"line {later[0].span.start_line} may change what its module reads at import"
            else:
                stars.add(d.index)
        return stars

    def star_group(self, d: Definition) -> tuple[Group, str]:
        """The tier of a star import: the costliest of its fixtures'."""
        groups = [self.classify(d, f) for f in d.fixtures]
        group, reason = max(groups, key=lambda g: GROUP_ORDER.index(g[0]))
        assert d.star is not None
        return group, f"star import of {d.star.module}: its fixtures load lazily ({reason})"

    def eager_stars(self, placed: dict[int, tuple[Group, str]]) -> bool:
        """Star imports that would load eagerly stay in the root as they were (nothing to gain,
        and pytest registers their fixtures from there). True when that changed the plan."""
        eager = {i for i in self.stars if i in placed and self.settings.is_eager(placed[i][0])}
        for index in eager:
            reason = placed[index][1]
            why = "its fixtures are cheap" if reason.startswith("star import") else f"{reason}, so it would load eagerly"
            self.star_kept[index] = f"{why}: nothing to gain from loading it lazily"
        self.stars -= eager
        return bool(eager)

    # -- helpers, classes, constants ----------------------------------------------------

    def place_helpers(
        self,
        placed: dict[int, tuple[Group, str]],
        root: set[int],
        copied: Set[int],
        root_needs: frozenset[str],
    ) -> dict[int, tuple[Group, str]]:
        """Put each non-fixture definition in the cheapest module all its users can import.

        Values only ever move to cheaper modules, so the loop ends.
        """
        placed = dict(placed)
        for d in self.definitions:
            if d.index in root or d.index in copied or d.index in placed:
                continue
            used = any(u != d.index for n in d.names for u in self.users.get(n, ())) or set(d.names) & root_needs
            placed[d.index] = (GROUP_ORDER[-1], "") if used else self.unused_placement(d)
        changed = True
        while changed:
            changed = False
            for d in self.definitions:
                if d.index not in placed:
                    continue
                target, reason = self.cheapest_user(d, placed, root, root_needs)
                if target is not None and GROUP_ORDER.index(target) < GROUP_ORDER.index(placed[d.index][0]):
                    placed[d.index] = (target, reason)
                    changed = True
                elif d.fixture is None and not placed[d.index][1] and target is not None:
                    placed[d.index] = (placed[d.index][0], reason)
            changed |= self.unify_colocated(placed, root, copied)
        return placed

    def unused_placement(self, d: Definition) -> tuple[Group, str]:
        """Where a definition no other definition uses goes: by what its own imports cost."""
        level = self.import_level(d)
        lazy = next((g for g in GROUP_ORDER if not self.settings.is_eager(g)), Group.BASE)
        who = "only tests use it" if set(d.names) & self.test_imports else "not used by any definition"
        if level >= self.settings.lazy_from:
            return lazy, f"{who}; its imports are heavy ({level.name}), so it loads lazily"
        return Group.BASE, who

    def import_level(self, d: Definition) -> Impact:
        """The heaviest module ``d`` itself imports, measured or (unmeasured) guessed."""
        modules = {
            m
            for name in (*d.uses, *d.annotation_uses)
            for i in self.binders.get(name, ())
            if i in self.copied or i in self.stars
            for m in self.definitions[i].imports
            if m.runtime
        }
        if d.index in self.stars:  # what its module imports is loaded with it
            modules |= {m for m in d.imports if m.runtime}
        return max((self.module_level(m.name, m.level) for m in modules), default=Impact.MINIMAL)

    def module_level(self, module: str, level: int) -> Impact:
        absolute = resolve_module(ImportedModule(module, level), self.analysis.package) if level else module
        parts = (absolute or module).split(".")
        for end in range(len(parts), 0, -1):
            cost = self.costs.get(".".join(parts[:end]))
            if cost is not None and cost.megabytes is not None:
                return Impact.from_mb(cost.megabytes, self.settings.thresholds)
        if level > 0 or parts[0] in sys.stdlib_module_names:
            return Impact.MINIMAL
        return self.settings.lazy_from  # unmeasured third-party module: assume it is heavy

    def closure_import_level(self, d: Definition) -> Impact:
        """The heaviest module ``d`` needs, through the helpers and constants it uses too."""
        seen: set[int] = set()
        todo = [d.index]
        level = Impact.MINIMAL
        while todo:
            current = self.definitions[todo.pop()]
            if current.index in seen:
                continue
            seen.add(current.index)
            level = max(level, self.import_level(current))
            todo += [
                i
                for name in needs(current)
                for i in self.binders.get(name, ())
                if i not in self.copied
            ]
        return level

    def cheapest_user(
        self,
        d: Definition,
        placed: Mapping[int, tuple[Group, str]],
        root: set[int],
        root_needs: frozenset[str],
    ) -> tuple[Group | None, str]:
        best: tuple[Group | None, str] = (None, "")
        for name in d.names:
            if name in root_needs:
                return Group.BASE, f"{name} is needed by the root conftest"
            if name in self.test_imports and self.closure_import_level(d) < _eager_test_import_below(self.settings):
                # Test modules import it while pytest collects: keep it cheap to reach.
                # What imports a measurable module (>= LOW) stays lazy: the tests that
                # import it load it through the conftest's ``__getattr__`` (load by need).
                return Group.BASE, f"tests import {name}, and it is cheap"
            for user in self.users.get(name, ()):
                if user == d.index or user not in placed:
                    continue
                group = placed[user][0]
                if best[0] is None or GROUP_ORDER.index(group) < GROUP_ORDER.index(best[0]):
                    best = (group, f"used by {_label(self.definitions[user])}")
        return best

    def colocated(self, root: set[int], copied: Set[int]) -> list[set[int]]:
        """Groups of definitions that must share a module (see :mod:`splitter.plan.order`)."""
        return [set(group) for group in self.state_groups if not group & root]

    def unify_colocated(self, placed: dict[int, tuple[Group, str]], root: set[int], copied: Set[int]) -> bool:
        changed = False
        for members in self.colocated(root, copied):
            target = min((placed[i][0] for i in members), key=GROUP_ORDER.index)
            for index in members:
                if placed[index][0] is not target:
                    placed[index] = (target, "shares a rebound global with its users")
                    changed = True
        return changed

    # -- import-time order (DESIGN.md, "Import-time semantics") ------------------------

    @functools.cached_property
    def effects(self) -> tuple[Effects, ...]:
        """What each statement reads and changes at import, and at run time for those whose
        bodies matter: functions and classes that may run at import, and ``global`` users."""
        effects = [self.effects_of(d, bodies="global" in d.source) for d in self.definitions]
        todo = [n for e in effects for n in e.reads]
        deep: set[int] = set()
        while todo:
            for index in self.functions.get(todo.pop(), ()):
                if index not in deep:
                    deep.add(index)
                    effects[index] = self.effects_of(self.definitions[index], bodies=True)
                    todo += effects[index].runtime_reads
        return tuple(effects)

    def effects_of(self, d: Definition, *, bodies: bool) -> Effects:
        return statement_effects(d.tree, bodies=bodies).within(needs(d) | set(d.names))

    @functools.cached_property
    def functions(self) -> dict[str, tuple[int, ...]]:
        """Names of helper functions and classes: their code may run when they are read."""
        return {
            name: where
            for name, where in self.binders.items()
            if any(self.definitions[i].kind in (Kind.HELPER_FUNCTION, Kind.HELPER_CLASS) for i in where)
        }

    @functools.cached_property
    def state_groups(self) -> list[frozenset[int]]:
        """Statements that share module state and must stay together, in order."""
        unchangeable = {
            n
            for n, where in self.binders.items()
            if all(isinstance(self.definitions[i].statement, cst.FunctionDef) for i in where)
            or (len(where) == 1 and binds_immutable_value(self.definitions[where[0]].statement))
        }
        at_import = import_time_effects(self.definitions, self.effects, self.functions, unchangeable)
        effects = [
            Effects(now.reads, now.mutates, runtime_rebinds=own.runtime_rebinds & set(self.binders))
            for now, own in zip(at_import, self.effects)
        ]
        return state_groups(self.definitions, effects, self.copied, self.users, unchangeable)

    @functools.cached_property
    def side_effect_imports(self) -> frozenset[int]:
        """Imports kept for their side effect: a name they bind is read by no statement and no test.

        The root conftest keeps them whole, where they were (they run at the same point).
        """
        found = set()
        for index in self.copied:
            d = self.definitions[index]
            unread = {n for n in d.names if not set(self.users.get(n, ())) - {index}} - self.test_imports
            if unread and (d.kind is Kind.IMPORT or unread == set(d.names)):
                found.add(index)
        return frozenset(found)

    @functools.cached_property
    def side_effect_import_names(self) -> frozenset[str]:
        return frozenset(n for i in self.side_effect_imports for n in self.definitions[i].names)

    @functools.cached_property
    def read_from_outside(self) -> frozenset[int]:
        """Constants (and value blocks) binding a name no statement reads: pytest or a plugin
        reads it from the conftest module (``collect_ignore``, ``pytestmark``…), so they stay in the root."""
        return frozenset(
            d.index
            for d in self.definitions
            if d.kind in (Kind.CONSTANT, Kind.CONDITIONAL)
            and d.index not in self.copied
            and any(
                n not in self.test_imports and not set(self.users.get(n, ())) - {d.index} for n in d.names
            )
        )

    def out_of_order(self, root: Set[int], placed: Mapping[int, tuple[Group, str]]) -> set[int]:
        """Moved statements that would cross an opaque root statement while reading process state."""
        eager_names = {
            n for i, (g, _) in placed.items() if self.settings.is_eager(g) for n in self.definitions[i].names
        }
        loader = loader_position(self.definitions, root, eager_names)
        opaque: dict[int, frozenset[str] | None] = {
            i: state_paths(self.definitions[i]) for i in root if changes_process_state(self.definitions[i])
        }
        opaque.update(dict.fromkeys(self.side_effect_imports))
        imported = {n for i in self.copied for n in self.definitions[i].names}
        late = len(self.definitions) + 1
        return {
            i
            for i, (g, _) in placed.items()
            if crosses_opaque(
                self.definitions[i],
                loader if self.settings.is_eager(g) else late,
                opaque,
                {path for path in state_paths(self.definitions[i]) if path.split(".")[0] in imported},
            )
        }

    def order_reason(self, d: Definition, root: Set[int]) -> str | None:
        """Why import-time order keeps ``d`` in the root conftest, when that is why."""
        if _stays_in_root(d) or self.unbound(d):
            return None
        if d.index in self.read_from_outside:
            return "nothing in the conftest reads it: pytest or a plugin reads it from the conftest module"
        if d.index in self.held:
            return "reads process state that a root statement changes: it keeps its place"
        if any(d.index in group and group & root for group in self.state_groups):
            return "shares module state with the root conftest: they stay together, in order"
        return None

    # -- modules: one per tier ---------------------------------------------------------

    def units(self, placed: Mapping[int, tuple[Group, str]]) -> dict[int, Unit]:
        """The module of every moved definition: its tier's."""
        return {i: Unit(group, self.settings.stem(group)) for i, (group, _) in placed.items()}

    def heavy_imports(self) -> frozenset[str]:
        """The modules the conftest imports (as written) that are heavy: at least the LOW threshold.

        Measured figures when analysis measured them, the typical weights of well-known
        packages otherwise; the renderer moves these imports into the bodies that read them.
        """
        costs = self.costs if self.analysis.measured else static_costs()
        threshold = self.settings.thresholds[0]
        return frozenset(
            m.name
            for i in self.copied
            for m in self.definitions[i].imports
            if m.runtime and is_heavy(m.name, m.level, costs, threshold)
        )

    def binders_of(self, d: Definition) -> set[int]:
        """The definitions that bind a name ``d`` reads."""
        return {i for name in needs(d) for i in self.binders.get(name, ()) if i != d.index}

    # -- result -----------------------------------------------------------------------

    def placement(
        self,
        d: Definition,
        root: set[int],
        copied: Set[int],
        placed: Mapping[int, tuple[Group, str]],
        units: Mapping[int, Unit],
    ) -> Placement:
        if d.index in copied and d.fixtures:
            reason = "imports fixtures: pytest registers them from the root conftest, so the import stays there"
            return Placement(d.index, None, reason, copied=True)
        if d.index in copied:
            return Placement(d.index, None, "import: copied into every module that uses it", copied=True)
        if d.index in root and self.kept(d):
            names = ", ".join(sorted(self.kept(d)))
            return Placement(d.index, None, f"kept in the root as asked ({names}: [tool.splitter] keep or --keep)")
        if d.index in root and self.written_by_tests(d) and d.kind not in ROOT_KINDS:
            names = ", ".join(sorted(self.written_by_tests(d)))
            return Placement(d.index, None, f"tests set {names} on the conftest module; its readers must see that")
        if d.index in root and d.index in self.star_kept:
            return Placement(d.index, None, f"{_root_reason(d, set())} ({self.star_kept[d.index]})")
        if d.index in root:
            return Placement(d.index, None, self.order_reason(d, root) or _root_reason(d, self.unbound(d)))
        group, reason = placed[d.index]
        return Placement(d.index, group, reason, unit=units[d.index])


# --- small pure helpers -------------------------------------------------------------


def _quiet_star(d: Definition) -> bool:
    """A star import of a project module that only binds names when it runs."""
    return d.star is not None and not d.star.runs_code


def _eager_test_import_below(settings: SplitSettings) -> Impact:
    """Names tests import go to the eager base module only below this level."""
    return min(settings.lazy_from, Impact.LOW)


def _binders(definitions: Iterable[Definition]) -> dict[str, tuple[int, ...]]:
    binders: dict[str, list[int]] = {}
    for d in definitions:
        for name in d.names:
            binders.setdefault(name, []).append(d.index)
    return {name: tuple(where) for name, where in binders.items()}


def needs(d: Definition) -> set[str]:
    """Every module-level name ``d`` reads, in code or annotations.

    Scope analysis leaves a name used in an annotation before its definition
    unresolved; it is bound all the same, so it counts.
    """
    return set(d.uses) | set(d.annotation_uses) | set(d.unresolved)


def _users(definitions: Iterable[Definition]) -> dict[str, tuple[int, ...]]:
    users: dict[str, list[int]] = {}
    for d in definitions:
        for name in sorted(needs(d)):
            users.setdefault(name, []).append(d.index)
    return {name: tuple(where) for name, where in users.items()}


def is_import_like(d: Definition) -> bool:
    """Imports, and blocks that only import: ``try/except ImportError``, ``if TYPE_CHECKING:``,
    ``with warnings.catch_warnings():`` or ``with suppress(ImportError):`` around imports.

    Such blocks bind nothing but modules and fallback values, so each module that
    uses them can run its own copy.
    """
    if d.kind is Kind.IMPORT:
        return True
    if d.kind is not Kind.CONDITIONAL or d.fixtures or not d.imports:
        return False
    if isinstance(d.statement, cst.With):
        return all(_is_import_or_call(line) for line in d.statement.body.body)
    return not _has_defs(d)


def _is_import_or_call(line: cst.CSTNode) -> bool:
    if not isinstance(line, cst.SimpleStatementLine):
        return False
    return all(
        isinstance(small, (cst.Import, cst.ImportFrom))
        or (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call))
        for small in line.body
    )


# Names whose value depends on the file a definition sits in: moving it changes them.
MODULE_IDENTITY = frozenset({"__name__", "__file__", "__spec__", "__package__", "__loader__", "__path__"})


def _stays_in_root(d: Definition) -> bool:
    if d.kind in ROOT_KINDS or reads_module_identity(d) or hidden_signatures(d) or module_attributes(d):
        return True
    if d.kind is Kind.CONDITIONAL and not is_import_like(d):
        return bool(d.fixtures) or not d.names or _has_defs(d)
    return False


def _root_reason(d: Definition, unbound: set[str]) -> str:
    reasons = {
        Kind.HOOK: "hook: pytest only calls hooks of the conftest itself",
        Kind.PYTEST_PLUGINS: "pytest_plugins must stay in the root conftest",
        Kind.SIDE_EFFECT: "side effect: runs at import, in its original order",
        Kind.UNMOVABLE: f"unmovable: {d.reason}",
        Kind.DOCSTRING: "module docstring",
        Kind.CONDITIONAL: "conditional block",
    }
    if d.kind not in reasons and module_attributes(d):
        return f"{', '.join(module_attributes(d))} describes the conftest module itself"
    if d.kind not in reasons and hidden_signatures(d):
        return f"pytest computes the signature of {', '.join(hidden_signatures(d))} from code not visible here"
    if d.kind not in reasons and reads_module_identity(d):
        return f"reads {', '.join(sorted(reads_module_identity(d)))}, which would change in another file"
    if d.kind not in reasons and unbound:
        return f"reads {', '.join(sorted(unbound))}, which nothing visible binds (star import or exec)"
    return reasons.get(d.kind, "uses a name that only the root conftest binds")


def module_attributes(d: Definition) -> list[str]:
    """Dunder names ``d`` binds (``__all__``): they describe the module they are bound in."""
    return [n for n in d.names if n.startswith("__") and n.endswith("__") and d.kind is not Kind.IMPORT]


def imported_fixture_names(definitions: Iterable[Definition]) -> set[str]:
    """Names bound by imports that bring in fixtures: pytest registers them from the root conftest,
    so the root keeps those imports (the module was imported at collection before, too)."""
    return {n for d in definitions if d.kind is Kind.IMPORT and d.fixtures for n in d.names}


def hidden_signatures(d: Definition) -> list[str]:
    """The fixtures ``d`` registers whose signature cannot be read statically (they stay eager, in the root)."""
    return [f.name for f in d.fixtures if not f.signature_known]


def _label(d: Definition) -> str:
    return d.fixture.name if d.fixture is not None else (d.names[0] if d.names else f"statement {d.index}")


class _GatherNames(cst.CSTVisitor):
    """Names read in an expression (keyword names and attribute tails excluded)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False


def decorator_names(d: Definition) -> set[str]:
    """Module-level names a function's decorators read (what a stub's copy needs)."""
    statement = d.statement
    if not isinstance(statement, cst.FunctionDef):
        return set()
    gatherer = _GatherNames()
    for decorator in statement.decorators:
        decorator.decorator.visit(gatherer)
    return gatherer.names


def reads_module_identity(d: Definition) -> set[str]:
    """What a statement reads that depends on the file it is in: ``__name__``, ``__file__``…,
    and how its classes or functions see their own module (:func:`observes_own_module`)."""
    observed = observes_own_module(d)
    if not any(name in d.source for name in MODULE_IDENTITY):
        return observed  # a name read is written out in the source: no need to visit
    gatherer = _GatherNames()
    d.statement.visit(gatherer)
    return (gatherer.names & MODULE_IDENTITY) | observed


# How code sees the module it is defined in (keyring names its backends after
# ``cls.__module__``): a class or function doing this behaves differently once moved.
OWN_MODULE_ATTRIBUTES = frozenset({"__module__", "__qualname__"})
OWN_MODULE_CALLS = ("inspect.getmodule", "pickle.", "copyreg.", "cloudpickle.", "dill.")


class _GatherOwnModuleReads(cst.CSTVisitor):
    """``__module__``/``__qualname__`` read as a name (a class body) or attribute (``cls.__module__``)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in OWN_MODULE_ATTRIBUTES:
            self.names.add(node.value)


def observes_own_module(d: Definition) -> set[str]:
    """``__module__``, ``__qualname__``, ``inspect.getmodule()`` or pickling in a statement."""
    calls = {f"{c}()" for c in d.calls if c.startswith(OWN_MODULE_CALLS)}
    if not any(name in d.source for name in OWN_MODULE_ATTRIBUTES):
        return calls
    gatherer = _GatherOwnModuleReads()
    d.statement.visit(gatherer)
    return gatherer.names | calls


class _GatherBindingKinds(cst.CSTVisitor):
    """Whether a block's bodies define functions or classes or call anything.

    The condition of an ``if`` may call (``os.environ.get(...)``); its bodies may
    only import and bind plain values for the block to count as movable.
    """

    def __init__(self) -> None:
        self.defs = False

    def visit_If(self, node: cst.If) -> bool:
        node.body.visit(self)
        if node.orelse is not None:
            node.orelse.visit(self)
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.defs = True
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.defs = True
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        self.defs = True
        return False


def _has_defs(d: Definition) -> bool:
    gatherer = _GatherBindingKinds()
    d.statement.visit(gatherer)
    return gatherer.defs
