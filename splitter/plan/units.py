"""Lazy units: each lazily loaded tier, split by the heavy imports its definitions need (pure).

A lazily loaded module is the unit of loading: the first fixture of it a test sets
up imports the whole module. So a tier (``conftest_services``) is cut into *units*
that differ by the heavy modules they import: the tier's cheap part keeps the
tier's name (``conftest_services.py``) and each set of heavy imports that really
differs gets its own module beside it (``conftest_services_sqlalchemy.py``).
docs/LAZY_UNITS.md has the design; in short:

- a definition's *key* is the set of heavy modules (measured at or above the LOW
  threshold, stdlib aside) that it and the helpers, classes and constants it
  reads in lazy units import. Fixtures it requests do not count: pytest sets
  them up through their own stubs;
- keys whose union costs less than the LOW threshold (1 MB) more than either of them
  are merged (``sqlalchemy.orm`` and ``supervisor_service.db`` load the same
  SQLAlchemy), so files differ only by heavy imports that really differ;
- a definition imports only from units whose key is within its own, so the
  units of a tier have no import cycles (any left by merging are merged away);
- definitions that share a rebound global share a unit, so state exists once.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from splitter.analyze.impact import KNOWN_IMPORTS, LEVEL_MB
from splitter.model import Definition, ModuleCost
from splitter.settings import Group, SplitSettings

Atom = str  # a heavy module as the conftest imports it (or an unmeasured package's top name)


@dataclass(frozen=True)
class Unit:
    """One split module: a tier, or the part of a lazy tier that needs ``needs``."""

    group: Group
    stem: str  # the module's file stem: ``conftest_services`` or ``conftest_services_sqlalchemy``
    needs: tuple[str, ...] = ()  # the heavy packages it imports, heaviest first (empty: the tier's cheap part)


@dataclass(frozen=True)
class UnitInputs:
    """What :func:`assign_units` reads from the planner."""

    definitions: Sequence[Definition]
    groups: Mapping[int, Group]  # definition index -> its tier, for moved definitions
    reads: Mapping[int, frozenset[int]]  # definition index -> moved definitions it reads
    imports: Mapping[int, frozenset[tuple[str, int]]]  # definition index -> (module, level) it imports
    colocated: Sequence[Collection[int]]  # definitions that must share a module
    costs: Mapping[str, ModuleCost]
    settings: SplitSettings


def assign_units(inputs: UnitInputs) -> dict[int, Unit]:
    """The unit of every moved definition."""
    settings = inputs.settings
    if not settings.units_by_dependency:
        return {i: Unit(g, settings.stem(g)) for i, g in inputs.groups.items()}
    weigh = _Weigher(inputs.costs, settings.thresholds[0], _merge_below(settings))
    keys = _keys(inputs, weigh)
    units: dict[int, Unit] = {}
    for group in Group:
        members = [i for i, g in inputs.groups.items() if g is group]
        if not members:
            continue
        if settings.is_eager(group):
            units.update({i: Unit(group, settings.stem(group)) for i in members})
            continue
        home = _merge_cycles(_clusters({keys[i] for i in members}, weigh), members, keys, inputs.reads)
        chosen = _with_their_readers({i: home[keys[i]] for i in members}, inputs, keys)
        names = _names(set(chosen.values()), weigh, settings.stem(group))
        for i in members:
            cluster = chosen[i]
            units[i] = Unit(group, names[cluster], () if weigh.cheap(cluster) else weigh.labels(cluster))
    return units


def static_costs() -> dict[str, ModuleCost]:
    """Typical costs of well-known heavy packages, to cut lazy tiers when nothing is measured."""
    return {top: ModuleCost(top, LEVEL_MB[level], None, loads=(top,)) for top, level in KNOWN_IMPORTS.items()}


def _merge_below(settings: SplitSettings) -> float:
    """Sets of heavy imports that differ by less than a heavy import (LOW, 1 MB) share a module."""
    return settings.thresholds[0]


def unit_order(units: Iterable[Unit]) -> tuple[Unit, ...]:
    """Distinct units, cheapest first: by tier, then the tier's cheap part, then fewer needs."""
    order = tuple(Group)
    return tuple(sorted(set(units), key=lambda u: (order.index(u.group), len(u.needs), u.stem)))


class _Weigher:
    """Which imports are heavy, what a set of them costs, and what to call it."""

    def __init__(self, costs: Mapping[str, ModuleCost], threshold: float, merge_below: float) -> None:
        self.costs = costs
        self.threshold = threshold  # an import at least this heavy (MB) is a heavy import
        self.merge_below = merge_below  # sets of heavy imports that differ by less share a module

    def atom(self, module: str, level: int) -> Atom | None:
        """The heavy module an import stands for, or None when it is cheap, stdlib or not installed."""
        parts = module.split(".")
        if level > 0 or not module or parts[0] in sys.stdlib_module_names:
            return None
        for end in range(len(parts), 0, -1):
            cost = self.costs.get(".".join(parts[:end]))
            if cost is not None and cost.megabytes is not None:
                return cost.module if cost.megabytes >= self.threshold else None
        return None

    def megabytes(self, atoms: Collection[Atom]) -> float | None:
        """What importing ``atoms`` together costs, each package counted once; None when unmeasured.

        A module whose package another one loads is inside that one's figure
        (``httpx`` inside ``supervisor_service.clickhouse``); of several modules of
        one package, the heaviest counts (``sqlalchemy.orm`` over ``sqlalchemy``).
        """
        costs = [self.costs.get(a) for a in atoms]
        measured = [c for c in costs if c is not None and c.megabytes is not None]
        if len(measured) != len(costs):
            return None
        heaviest: dict[str, float] = {}
        for cost in measured:
            top = cost.module.split(".")[0]
            inside = any(top in other.loads and other.module.split(".")[0] != top for other in measured)
            if not inside:
                heaviest[top] = max(heaviest.get(top, 0.0), cost.megabytes or 0.0)
        return sum(heaviest.values())

    def extra(self, base: frozenset[Atom], more: frozenset[Atom]) -> float:
        """What ``more`` costs on top of ``base`` (infinite when not measured)."""
        whole, part = self.megabytes(base | more), self.megabytes(base)
        if whole is None or part is None:
            return float("inf") if more - base else 0.0
        return whole - part

    def labels(self, atoms: Collection[Atom]) -> tuple[str, ...]:
        """The packages a set of heavy modules loads, as a person names them, heaviest first.

        A project module is named after the heavy package it brings in
        (``supervisor_service.db`` → ``sqlalchemy``); a package another one
        already loads is left out (``pandas`` covers ``numpy``).
        """
        ranked = sorted(atoms, key=lambda a: (-(self.megabytes([a]) or float("inf")), a))
        names: list[str] = []
        covered: set[str] = set()
        for atom in ranked:
            name = self.label(atom)
            if name not in covered and name not in names:
                names.append(name)
            cost = self.costs.get(atom)
            covered.update(cost.loads if cost is not None else ())
        return tuple(names)

    def label(self, atom: Atom) -> str:
        """A third-party package by its name (``sqlalchemy``), a project module by its own (``db``)."""
        top = atom.split(".")[0]
        return top if self.is_package(top) else atom.split(".")[-1]

    def cheap(self, atoms: Collection[Atom]) -> bool:
        """Whether importing ``atoms`` costs less than what makes a set of imports worth its own module."""
        megabytes = self.megabytes(atoms)
        return megabytes is not None and megabytes < self.merge_below

    def is_package(self, top: str) -> bool:
        """A third-party package whose own modules are heavy (not the project's light package)."""
        mine = [c for c in self.costs.values() if c.module.split(".")[0] == top and c.megabytes is not None]
        return bool(mine) and all((c.megabytes or 0.0) >= self.threshold for c in mine)



def _keys(inputs: UnitInputs, weigh: _Weigher) -> dict[int, frozenset[Atom]]:
    """Each moved definition's heavy modules, through what it reads in lazy tiers (a fixed point)."""
    lazy = {i for i, g in inputs.groups.items() if not inputs.settings.is_eager(g)}
    keys = {
        i: frozenset(a for module, level in inputs.imports.get(i, ()) if (a := weigh.atom(module, level)) is not None)
        for i in inputs.groups
    }
    changed = True
    while changed:
        changed = False
        for i in lazy:
            more = keys[i].union(*(keys[j] for j in inputs.reads.get(i, ()) if j in lazy))
            if more != keys[i]:
                keys[i], changed = more, True
        for members in inputs.colocated:
            shared = frozenset().union(*(keys[i] for i in members if i in keys))
            for i in members:
                if i in keys and keys[i] != shared:
                    keys[i], changed = shared, True
    return keys


def _clusters(keys: set[frozenset[Atom]], weigh: _Weigher) -> dict[frozenset[Atom], frozenset[Atom]]:
    """Each key's cluster: keys whose union costs less than the threshold more than each are merged."""
    home = {k: k for k in keys}
    while True:
        clusters = sorted(set(home.values()), key=lambda c: (len(c), sorted(c)))
        pair = next(
            (
                (a, b)
                for a in clusters
                for b in clusters
                if a != b and weigh.extra(a, b) < weigh.merge_below and weigh.extra(b, a) < weigh.merge_below
            ),
            None,
        )
        if pair is None:
            return home
        home = _joined(home, set(pair))


def _joined(
    home: Mapping[frozenset[Atom], frozenset[Atom]], clusters: set[frozenset[Atom]]
) -> dict[frozenset[Atom], frozenset[Atom]]:
    """``home`` with ``clusters`` made one."""
    union = frozenset().union(*clusters)
    return {k: union if c in clusters else c for k, c in home.items()}


def _merge_cycles(
    home: dict[frozenset[Atom], frozenset[Atom]],
    members: Sequence[int],
    keys: Mapping[int, frozenset[Atom]],
    reads: Mapping[int, frozenset[int]],
) -> dict[frozenset[Atom], frozenset[Atom]]:
    """Merge clusters that would import each other (possible only after merging keys)."""
    inside = set(members)
    while True:
        edges = {
            (home[keys[i]], home[keys[j]])
            for i in members
            for j in reads.get(i, ())
            if j in inside and home[keys[j]] != home[keys[i]]
        }
        cycle = _cycle(edges)
        if not cycle:
            return home
        home = _joined(home, cycle)


def _cycle(edges: set[tuple[frozenset[Atom], frozenset[Atom]]]) -> set[frozenset[Atom]]:
    """The nodes of one cycle of ``edges`` (empty when there is none)."""
    graph: dict[frozenset[Atom], set[frozenset[Atom]]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    for start in sorted(graph, key=lambda c: (len(c), sorted(c))):
        path: list[frozenset[Atom]] = []
        if (found := _walk(start, start, graph, path, set())) is not None:
            return found
    return set()


def _walk(
    node: frozenset[Atom],
    start: frozenset[Atom],
    graph: Mapping[frozenset[Atom], set[frozenset[Atom]]],
    path: list[frozenset[Atom]],
    seen: set[frozenset[Atom]],
) -> set[frozenset[Atom]] | None:
    path.append(node)
    seen.add(node)
    for nxt in graph.get(node, ()):
        if nxt == start:
            return set(path)
        if nxt not in seen and (found := _walk(nxt, start, graph, path, seen)) is not None:
            return found
    path.pop()
    return None


def _with_their_readers(
    chosen: dict[int, frozenset[Atom]], inputs: UnitInputs, keys: Mapping[int, frozenset[Atom]]
) -> dict[int, frozenset[Atom]]:
    """A helper or constant all of whose readers share one module moves into it.

    Its key is within theirs, so nothing heavier is imported; a lone constant
    does not get a file of its own. Shared state (colocated) stays where it is.
    """
    pinned = {i for members in inputs.colocated for i in members}
    readers: dict[int, set[int]] = {}
    for j, read in inputs.reads.items():
        for i in read:
            readers.setdefault(i, set()).add(j)
    changed = True
    while changed:
        changed = False
        for i in sorted(chosen):
            users = readers.get(i, set())
            if i in pinned or inputs.definitions[i].fixtures or not users or not users <= set(chosen):
                continue
            homes = {chosen[j] for j in users}
            if len(homes) == 1 and (target := homes.pop()) != chosen[i] and keys[i] <= target:
                chosen[i], changed = target, True
    return chosen


def _names(clusters: Collection[frozenset[Atom]], weigh: _Weigher, stem: str) -> dict[frozenset[Atom], str]:
    """A file stem per cluster: the tier's own for the cheap part, else the tier plus what it loads."""
    names: dict[frozenset[Atom], str] = {}
    taken: set[str] = set()
    for cluster in sorted(clusters, key=lambda c: (not weigh.cheap(c), len(c), sorted(c))):
        labels = () if weigh.cheap(cluster) else weigh.labels(cluster)
        name = stem
        for count in range(1, len(labels) + 1):
            name = "_".join((stem, *labels[:count]))
            if name not in taken:
                break
        suffix = 2
        base = name
        while name in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        names[cluster] = name
        taken.add(name)
    return names
