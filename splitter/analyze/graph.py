"""analyze: the fixture dependency graph of a conftest (pure).

Definitions depend on each other through module-level names (scope
analysis in parse); fixtures depend on fixtures through argnames, literal
``getfixturevalue("x")`` and ``usefixtures("x")`` — their own and those of the
helpers they use. A fixture requesting its own name reaches the definition it
overrides (a builtin, plugin or parent-conftest fixture), not itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from splitter.model import (
    ConftestModel,
    Definition,
    DynamicRequest,
    ExternalFixture,
    Fixture,
    FixtureGraph,
    FixtureNode,
    Kind,
)

Adjacency = Mapping[str, Sequence[str]]


def build_graph(model: ConftestModel) -> FixtureGraph:
    """The fixture graph: nodes with direct and transitive needs, order, cycles, externals."""
    definition_edges = definition_dependencies(model.definitions)
    owners = {f.name: (d, f) for d in model.definitions for f in d.fixtures}
    direct: dict[str, tuple[str, ...]] = {}
    needed: dict[str, tuple[int, ...]] = {}
    dynamic: dict[str, tuple[str, ...]] = {}
    for name, (definition, fixture) in owners.items():
        needed[name] = reachable([definition.index], definition_edges)
        helpers = [
            model.definitions[i]
            for i in needed[name]
            if i != definition.index and not builds(model.definitions[i], fixture)
        ]
        direct[name] = requested(fixture, helpers)
        dynamic[name] = tuple(
            dict.fromkeys(
                [
                    *fixture.dynamic_requests,
                    *(e for h in helpers for e in h.dynamic_requests),
                ]
            )
        )
    local = {
        name: [d for d in deps if d in owners and d != name]
        for name, deps in direct.items()
    }
    nodes = tuple(
        fixture_node(
            name, owners[name][0].index, direct, needed[name], dynamic[name], owners
        )
        for name in owners
    )
    return FixtureGraph(
        nodes=nodes,
        order=topological_order(list(owners), local),
        cycles=find_cycles(list(owners), local),
        externals=external_fixtures(direct, owners),
        dynamic=dynamic_requests(model.definitions),
    )


def definition_dependencies(
    definitions: Sequence[Definition],
) -> dict[int, tuple[int, ...]]:
    """For each definition, the definitions binding the module-level names it uses.

    A name nothing visibly binds may come from any UNMOVABLE statement (a star
    import, ``exec``, a ``globals()`` write), so it depends on all of them — unless a
    star import splitter read binds it (:class:`splitter.model.StarImport`).
    """
    binders: dict[str, list[int]] = defaultdict(list)
    for definition in definitions:
        for name in definition.names:
            binders[name].append(definition.index)
    unmovable = [d.index for d in definitions if d.kind is Kind.UNMOVABLE]
    return {
        d.index: tuple(
            sorted(
                (
                    {b for name in (*d.uses, *d.annotation_uses) for b in binders[name]}
                    | {b for name in d.unresolved for b in binders.get(name, ())}
                    | (set(unmovable) if set(d.unresolved) - set(binders) else set())
                )
                - {d.index}
            )
        )
        for d in definitions
    }


def builds(helper: Definition, fixture: Fixture) -> bool:
    """Whether ``helper`` is the factory that made ``fixture`` (its requests are the fixture's)."""
    return fixture.factory is not None and fixture.factory in helper.names


def reachable(
    start: Iterable[int], edges: Mapping[int, Sequence[int]]
) -> tuple[int, ...]:
    """Every index reachable from ``start`` (included), sorted."""
    seen: set[int] = set()
    stack = list(start)
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))
    return tuple(sorted(seen))


def requested(fixture: Fixture, helpers: Sequence[Definition]) -> tuple[str, ...]:
    """Fixture names a fixture requests directly: argnames, then literal requests."""
    names = [
        *fixture.argnames,
        *fixture.requests,
        *(r for h in helpers for r in h.requests),
    ]
    return tuple(dict.fromkeys(names))


def fixture_node(
    name: str,
    index: int,
    direct: Mapping[str, Sequence[str]],
    definitions: tuple[int, ...],
    dynamic: tuple[str, ...],
    owners: Mapping[str, object],
) -> FixtureNode:
    """One node with its transitive closure over local fixtures (externals are leaves)."""
    closure: set[str] = set()
    overrides: set[str] = set()
    visited = {name}
    stack = [name]
    while stack:
        current = stack.pop()
        for dependency in direct.get(current, ()):
            if dependency == current:  # requests the definition it overrides
                overrides.add(dependency)
                closure.add(dependency)
            elif dependency not in visited:
                visited.add(dependency)
                closure.add(dependency)
                if dependency in owners:
                    stack.append(dependency)
    return FixtureNode(
        name=name,
        definition=index,
        depends_on=tuple(direct[name]),
        closure=tuple(sorted(closure)),
        definitions=definitions,
        externals=tuple(sorted({n for n in closure if n not in owners} | overrides)),
        dynamic=dynamic,
    )


def topological_order(names: Sequence[str], local: Adjacency) -> tuple[str, ...]:
    """Dependencies before their users, source order among equals; cycles appended last."""
    remaining = {name: set(local[name]) for name in names}
    order: list[str] = []
    while True:
        ready = [name for name in names if name in remaining and not remaining[name]]
        if not ready:
            break
        for name in ready:
            del remaining[name]
            order.append(name)
        for deps in remaining.values():
            deps.difference_update(ready)
    return (*order, *(name for name in names if name in remaining))


def find_cycles(names: Sequence[str], local: Adjacency) -> tuple[tuple[str, ...], ...]:
    """One cycle path per strongly connected group of fixtures, e.g. ``(a, b, a)``."""
    cycles: list[tuple[str, ...]] = []
    for component in strongly_connected(names, local):
        if len(component) > 1:
            cycles.append(cycle_path(component, local))
    return tuple(cycles)


def strongly_connected(names: Sequence[str], local: Adjacency) -> list[list[str]]:
    """Tarjan's strongly connected components, each in source order."""
    position = {name: i for i, name in enumerate(names)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dependency in local[node]:
            if dependency not in index:
                connect(dependency)
                low[node] = min(low[node], low[dependency])
            elif dependency in on_stack:
                low[node] = min(low[node], index[dependency])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component, key=position.__getitem__))

    for name in names:
        if name not in index:
            connect(name)
    return sorted(components, key=lambda c: position[c[0]])


def cycle_path(component: Sequence[str], local: Adjacency) -> tuple[str, ...]:
    """A path through a strongly connected component back to its first member."""
    members = set(component)
    start = component[0]
    path = [start]
    seen = {start}
    while True:
        current = path[-1]
        following = [d for d in local[current] if d in members]
        if start in following and len(path) > 1:
            return (*path, start)
        unvisited = [d for d in following if d not in seen]
        if not unvisited:
            return (*path, start)
        path.append(unvisited[0])
        seen.add(unvisited[0])


def external_fixtures(
    direct: Mapping[str, Sequence[str]], owners: Mapping[str, object]
) -> tuple[ExternalFixture, ...]:
    """Requested fixtures the conftest does not define, with who requests them."""
    users: dict[str, list[str]] = defaultdict(list)
    overridden: set[str] = set()
    for name, deps in direct.items():
        for dependency in deps:
            if dependency == name:
                overridden.add(name)
                users[name].append(name)
            elif dependency not in owners:
                users[dependency].append(name)
    return tuple(
        ExternalFixture(
            name=n, requested_by=tuple(users[n]), overridden=n in overridden
        )
        for n in sorted(users)
    )


def dynamic_requests(definitions: Sequence[Definition]) -> tuple[DynamicRequest, ...]:
    """Every non-literal ``getfixturevalue(...)``, with the definition that makes it."""
    found: list[DynamicRequest] = []
    for definition in definitions:
        for expression in definition.dynamic_requests:
            found.append(
                DynamicRequest(
                    definition.index, label(definition, expression), expression
                )
            )
    return tuple(found)


def label(definition: Definition, expression: str) -> str:
    """A readable name for the user of a dynamic request."""
    for fixture in definition.fixtures:
        if expression in fixture.dynamic_requests:
            return fixture.name
    if definition.names:
        return definition.names[0]
    return f"line {definition.span.start_line}"


def heaviest_chains(
    graph: FixtureGraph, weight: Mapping[str, float], limit: int = 5
) -> tuple[tuple[str, ...], ...]:
    """The heaviest dependency chains (two fixtures or more), by the sum of their weights.

    A chain starts at a fixture no local fixture requests and follows, at each
    step, the dependency whose own chain is heaviest; cycle edges are not
    followed.
    """
    local = {
        n.name: [d for d in n.depends_on if d in weight and d != n.name]
        for n in graph.nodes
    }
    best: dict[str, tuple[float, tuple[str, ...]]] = {}

    def heaviest(name: str, visiting: frozenset[str]) -> tuple[float, tuple[str, ...]]:
        if name in best:
            return best[name]
        options = [
            heaviest(d, visiting | {name}) for d in local[name] if d not in visiting
        ]
        tail = max(options, key=lambda o: (o[0], len(o[1])), default=(0.0, ()))
        best[name] = (weight[name] + tail[0], (name, *tail[1]))
        return best[name]

    requested_locally = {d for deps in local.values() for d in deps}
    roots = [n.name for n in graph.nodes if n.name not in requested_locally] or [
        n.name for n in graph.nodes
    ]
    chains = [heaviest(root, frozenset()) for root in roots]
    chains = [c for c in chains if len(c[1]) > 1]
    chains.sort(key=lambda c: (-c[0], -len(c[1]), c[1]))
    return tuple(chain for _, chain in chains[:limit])
