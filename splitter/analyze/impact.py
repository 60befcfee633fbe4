"""analyze: how heavy each fixture is (pure).

A fixture's *measured* figure is the import cost of the distinct runtime
modules its closure imports — its own definition, the helpers, classes and
imports it uses, and the same for every fixture it requests. Costs come from
:mod:`splitter.analyze.measure` (RSS delta of importing each module alone in a clean
interpreter). Overlaps are not summed: modules are taken heaviest first and a
module whose top-level package an already counted import loaded is skipped, so
``fastapi`` + ``pydantic`` counts ``fastapi`` once; a module that loads an
already counted one (a wrapper measured as heavy as ``pandas`` it imports) adds
only what it weighs beyond it. The estimate stays a little
high where two imports share deep dependencies; it is never a plain sum.

The *static* level comes from signals in the closure's source: what it calls
(``MagicMock`` → LOW, service clients and sessions → MEDIUM, servers and
browsers → HIGH/VERY_HIGH) and, only when nothing is measured, the known weight
of the packages it imports. The level to plan with is the measured level, raised
to what the closure builds when that is heavier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from splitter.analyze.graph import heaviest_chains
from splitter.model import (
    Chain,
    ConftestModel,
    Definition,
    FixtureGraph,
    FixtureNode,
    Impact,
    ImpactRating,
    ImportedModule,
    ModuleCost,
)

# What a call builds, by qualified-name prefix (longest prefix wins).
BUILD_SIGNALS: Mapping[str, tuple[Impact, str]] = {
    "unittest.mock": (Impact.LOW, "mock"),
    "mock": (Impact.LOW, "mock"),
    "mocker": (Impact.LOW, "mock"),
    "pytest_mock": (Impact.LOW, "mock"),
    "sqlite3.connect": (Impact.LOW, "sqlite connection"),
    "sqlalchemy.create_engine": (Impact.MEDIUM, "database engine"),
    "sqlalchemy.ext.asyncio.create_async_engine": (Impact.MEDIUM, "database engine"),
    "sqlalchemy.orm.sessionmaker": (Impact.MEDIUM, "database session"),
    "sqlalchemy.orm.Session": (Impact.MEDIUM, "database session"),
    "psycopg.connect": (Impact.MEDIUM, "database connection"),
    "psycopg2.connect": (Impact.MEDIUM, "database connection"),
    "asyncpg.connect": (Impact.MEDIUM, "database connection"),
    "pymongo.MongoClient": (Impact.MEDIUM, "database client"),
    "redis.Redis": (Impact.MEDIUM, "redis client"),
    "redis.StrictRedis": (Impact.MEDIUM, "redis client"),
    "redis.from_url": (Impact.MEDIUM, "redis client"),
    "redis.asyncio": (Impact.MEDIUM, "redis client"),
    "httpx.Client": (Impact.MEDIUM, "http client"),
    "httpx.AsyncClient": (Impact.MEDIUM, "http client"),
    "requests.Session": (Impact.MEDIUM, "http client"),
    "aiohttp.ClientSession": (Impact.MEDIUM, "http client"),
    "boto3": (Impact.MEDIUM, "cloud client"),
    "fastapi.testclient.TestClient": (Impact.HIGH, "application test client"),
    "starlette.testclient.TestClient": (Impact.HIGH, "application test client"),
    "websockets.serve": (Impact.HIGH, "server"),
    "websockets.sync.server.serve": (Impact.HIGH, "server"),
    "http.server": (Impact.HIGH, "server"),
    "socketserver": (Impact.HIGH, "server"),
    "uvicorn": (Impact.HIGH, "server"),
    "subprocess.Popen": (Impact.HIGH, "subprocess"),
    "multiprocessing.Process": (Impact.HIGH, "subprocess"),
    "docker": (Impact.VERY_HIGH, "container"),
    "testcontainers": (Impact.VERY_HIGH, "container"),
    "selenium.webdriver": (Impact.VERY_HIGH, "browser"),
    "playwright": (Impact.VERY_HIGH, "browser"),
    "pyppeteer": (Impact.VERY_HIGH, "browser"),
}

# Typical import weight of well-known packages, used only when nothing is measured.
KNOWN_IMPORTS: Mapping[str, Impact] = {
    "torch": Impact.VERY_HIGH,
    "tensorflow": Impact.VERY_HIGH,
    "pyspark": Impact.VERY_HIGH,
    "playwright": Impact.VERY_HIGH,
    "selenium": Impact.HIGH,
    "pandas": Impact.HIGH,
    "scipy": Impact.HIGH,
    "sklearn": Impact.HIGH,
    "matplotlib": Impact.HIGH,
    "fastapi": Impact.HIGH,
    "django": Impact.HIGH,
    "boto3": Impact.HIGH,
    "numpy": Impact.MEDIUM,
    "sqlalchemy": Impact.MEDIUM,
    "pydantic": Impact.MEDIUM,
    "starlette": Impact.MEDIUM,
    "httpx": Impact.MEDIUM,
    "requests": Impact.MEDIUM,
    "aiohttp": Impact.MEDIUM,
    "redis": Impact.MEDIUM,
    "psycopg": Impact.MEDIUM,
    "psycopg2": Impact.MEDIUM,
    "websockets": Impact.LOW,
    "yaml": Impact.LOW,
    "asyncio": Impact.LOW,
}

# Typical megabytes of a level, to weigh chains when nothing is measured.
LEVEL_MB: Mapping[Impact, float] = {
    Impact.MINIMAL: 0.5,
    Impact.LOW: 3.0,
    Impact.MEDIUM: 15.0,
    Impact.HIGH: 50.0,
    Impact.VERY_HIGH: 100.0,
}


def resolve_module(imported: ImportedModule, package: str | None) -> str | None:
    """The absolute module name of an import; relative ones need the conftest's package."""
    if imported.level == 0:
        return imported.name or None
    if package is None:
        return None
    parts = package.split(".")
    if imported.level > len(parts):
        return None
    base = ".".join(parts[: len(parts) - imported.level + 1])
    return f"{base}.{imported.name}" if imported.name else base


def runtime_modules(
    definitions: Iterable[Definition], package: str | None
) -> tuple[str, ...]:
    """The distinct absolute modules these definitions import at run time, sorted."""
    names = {
        resolve_module(i, package) for d in definitions for i in d.imports if i.runtime
    }
    return tuple(sorted(n for n in names if n))


def union_megabytes(
    modules: Sequence[str], costs: Mapping[str, ModuleCost]
) -> float | None:
    """Import cost of a set of modules, overlaps counted once (see the module docstring)."""
    return _union(modules, costs, lambda c: c.megabytes, 1)


def union_seconds(modules: Sequence[str], costs: Mapping[str, ModuleCost]) -> float | None:
    """Import time of a set of modules, overlaps counted once as for :func:`union_megabytes`
    (None when a module that counts has no time)."""
    return _union(modules, costs, lambda c: c.seconds, 3)


def _union(
    modules: Sequence[str],
    costs: Mapping[str, ModuleCost],
    figure: Callable[[ModuleCost], float | None],
    digits: int,
) -> float | None:
    measured = [
        costs[m] for m in modules if m in costs and costs[m].megabytes is not None
    ]
    if not measured:
        return None if any(m in costs for m in modules) else 0.0
    loaded: set[str] = set()
    counted: dict[str, float] = {}  # top-level package → the figure counted for it
    total = 0.0
    for cost in sorted(measured, key=lambda c: (-(c.megabytes or 0.0), c.module)):
        top = cost.module.split(".")[0]
        if top in loaded:
            continue
        value = figure(cost)
        if value is None:
            return None
        value = max(value, 0.0)
        within = sum(v for package, v in counted.items() if package in cost.loads)
        total += max(value - within, 0.0)
        counted[top] = value
        loaded.update(cost.loads)
        loaded.add(top)
    return round(total, digits)


def build_signals(calls: Iterable[str]) -> dict[str, Impact]:
    """Static signals of what some code builds: label → level."""
    found: dict[str, Impact] = {}
    for call in calls:
        parts = call.split(".")
        for length in range(len(parts), 0, -1):
            signal = BUILD_SIGNALS.get(".".join(parts[:length]))
            if signal is not None:
                level, label = signal
                found[label] = max(found.get(label, Impact.MINIMAL), level)
                break
    return found


def import_signals(modules: Iterable[str]) -> dict[str, Impact]:
    """Static signals of known heavy packages among imported modules: label → level."""
    found: dict[str, Impact] = {}
    for module in modules:
        top = module.split(".")[0]
        if top in KNOWN_IMPORTS:
            found[f"imports {top}"] = KNOWN_IMPORTS[top]
    return found


def rate_impact(
    model: ConftestModel,
    graph: FixtureGraph,
    costs: Mapping[str, ModuleCost] | None,
    package: str | None = None,
) -> tuple[ImpactRating, ...]:
    """One rating per graph node; ``costs`` None means nothing was measured."""
    return tuple(
        rate_fixture(model, graph, node, costs, package) for node in graph.nodes
    )


def closure_definitions(
    model: ConftestModel, graph: FixtureGraph, node: FixtureNode
) -> list[Definition]:
    """The definitions a fixture needs, with those of every local fixture it requests."""
    indices = set(node.definitions)
    for name in node.closure:
        if name != node.name and any(n.name == name for n in graph.nodes):
            indices.update(graph.node(name).definitions)
    return [model.definitions[i] for i in sorted(indices)]


def rate_fixture(
    model: ConftestModel,
    graph: FixtureGraph,
    node: FixtureNode,
    costs: Mapping[str, ModuleCost] | None,
    package: str | None,
) -> ImpactRating:
    definitions = closure_definitions(model, graph, node)
    modules = runtime_modules(definitions, package)
    builds = build_signals(c for d in definitions for c in d.calls)
    build_level = max(builds.values(), default=Impact.MINIMAL)
    signals = dict(builds)
    if costs is None:
        signals.update(import_signals(modules))
    static_level = max(signals.values(), default=Impact.MINIMAL)
    measured = None if costs is None else union_megabytes(modules, costs)
    level = (
        static_level if measured is None else max(Impact.from_mb(measured), build_level)
    )
    return ImpactRating(
        fixture=node.name,
        level=level,
        static_level=static_level,
        measured_mb=measured,
        modules=modules,
        signals=tuple(sorted(signals)),
    )


def chains(
    graph: FixtureGraph, ratings: Sequence[ImpactRating], limit: int = 5
) -> tuple[Chain, ...]:
    """The heaviest dependency chains, weighed by measured MB or the typical MB of a level."""
    by_name = {r.fixture: r for r in ratings}
    weight = {
        name: r.measured_mb if r.measured_mb is not None else LEVEL_MB[r.level]
        for name, r in by_name.items()
    }
    return tuple(
        Chain(
            fixtures=chain,
            level=max(by_name[n].level for n in chain),
            megabytes=by_name[chain[0]].measured_mb,
        )
        for chain in heaviest_chains(graph, weight, limit)
    )
