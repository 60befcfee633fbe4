"""What ``--fixture-memory`` measures, as frozen dataclasses, and how runs merge.

Pure: no pytest, no psutil. The plugin fills these from its hooks; xdist
workers send them to the controller as JSON-ready dicts (:func:`to_json`), the
controller rebuilds them (:func:`from_json`) and :func:`merge` combines the
processes into one :class:`MemoryRun`. Megabytes are MiB (2**20 bytes) of
resident set size (RSS); seconds are wall-clock.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from splitter.model import Impact

SCHEMA_VERSION = 1
PAYLOAD = "splitter_memory"  # the key of our records in xdist's workeroutput
MB = float(1 << 20)


class SiteKind(str, enum.Enum):
    """Where collection work happened."""

    CONFTEST = "conftest"  # a conftest.py being imported (with its pytest_plugins)
    COLLECTOR = "collector"  # a test module, package or directory being collected


@dataclass(frozen=True)
class SiteCost:
    """The cost of one conftest or collected file, summed over its frames."""

    site: str  # path relative to rootdir (or absolute outside it)
    kind: SiteKind
    inclusive_mb: float  # RSS growth while it was being imported/collected
    self_mb: float  # the same minus the packages it imported (see ImportCost)
    seconds: float  # inclusive wall time
    modules: int  # modules newly imported while it was being imported/collected


@dataclass(frozen=True)
class ImportCost:
    """A package (or project module) first imported while pytest collected."""

    name: str  # a top-level package, or the dotted name of a module inside rootdir
    project: bool  # the module lives in the project (rootdir), not in site-packages
    location: str  # file of a project module relative to rootdir; "" otherwise
    self_mb: float  # RSS growth while its own code ran (nested new packages excluded)
    inclusive_mb: float  # RSS growth of its outermost import, nested packages included
    seconds: float  # inclusive wall time of its outermost import
    modules: int  # modules of its own that the import brought in
    imported_by: (
        str  # the module whose import statement first loaded it ("" from C code)
    )
    during: str = ""  # the conftest or file being imported/collected at the time


@dataclass(frozen=True)
class CollectionFigures:
    """One pytest process from startup to the end of collection."""

    process: str  # "main", "controller" or an xdist worker id such as "gw0"
    measured_from: str  # the hook where measuring began (before conftests, ideally)
    baseline_mb: float  # RSS when measuring began: Python, pytest and its plugins
    end_mb: float  # RSS at pytest_collection_finish
    peak_mb: float | None  # process peak RSS at pytest_collection_finish (getrusage)
    seconds: float  # from measured_from to pytest_collection_finish
    since_start_seconds: float | None  # from process start to pytest_collection_finish
    items: int  # test items collected
    modules_imported: int  # modules newly imported from measured_from on
    sites: tuple[SiteCost, ...] = ()
    imports: tuple[ImportCost, ...] = ()
    project_files: tuple[
        str, ...
    ] = ()  # project modules loaded by then, however they were imported

    @property
    def growth_mb(self) -> float:
        """RSS added by loading conftests and collecting."""
        return self.end_mb - self.baseline_mb


@dataclass(frozen=True)
class FixtureStats:
    """Every measured setup of one fixture definition, aggregated.

    Deltas are *exclusive*: what ran while this fixture's own code was the
    innermost setup. Fixtures it requests are set up before it and measured on
    their own; a ``request.getfixturevalue`` inside it is subtracted too.
    """

    name: str  # the name tests request
    function: str  # the function that implements it
    location: str  # file relative to rootdir; the module name for plugin fixtures
    line: int
    scope: str
    argnames: tuple[str, ...]  # the fixtures it requests
    description: str  # first line of its docstring
    declared_level: Impact | None  # from @memory_profile(description, level)
    calls: int
    total_mb: float  # sum of the exclusive RSS deltas of its setups
    max_mb: float  # the largest single-setup delta
    max_inclusive_mb: float  # the largest delta with nested fixture setups included
    total_seconds: float
    max_seconds: float
    modules: tuple[str, ...] = ()  # modules newly imported during its setups
    declared_description: str = ""  # from @memory_profile(description, level)

    @property
    def key(self) -> tuple[str, str, int]:
        """What identifies the definition across processes."""
        return (self.name, self.location, self.line)

    @property
    def mean_mb(self) -> float:
        """The mean exclusive RSS delta of one setup."""
        return self.total_mb / self.calls if self.calls else 0.0

    @property
    def mean_seconds(self) -> float:
        """The mean wall time of one setup."""
        return self.total_seconds / self.calls if self.calls else 0.0

    @property
    def impact(self) -> Impact:
        """The measured level: its costliest setup, on the DESIGN.md thresholds."""
        return Impact.from_mb(max(self.max_mb, 0.0))

    @property
    def exceeds_declared(self) -> bool:
        """Whether it costs more than its ``@memory_profile`` says."""
        return self.declared_level is not None and self.impact > self.declared_level


@dataclass(frozen=True)
class MemoryReport:
    """One ``memory_reporter.report(label)`` call in a test."""

    process: str
    test: str  # node id
    label: str
    rss_mb: float
    delta_mb: (
        float  # since the previous report of the same test, or the fixture's setup
    )
    modules_loaded: int  # modules imported since pytest started, at that point


@dataclass(frozen=True)
class ProcessFigures:
    """One pytest process at the end of its session."""

    process: str
    end_mb: float
    peak_mb: float | None  # whole-process peak RSS, collection included
    seconds: float  # from measuring start to session finish


@dataclass(frozen=True)
class Environment:
    """Where the run happened, so the figures can be reproduced."""

    python: str
    implementation: str
    platform: str
    cpus: int | None
    pytest: str
    rootdir: str
    args: tuple[str, ...]
    workers: int  # 0 without xdist
    memory_mb: float | None = None  # the machine's physical memory


@dataclass(frozen=True)
class Outcomes:
    """Test outcome counts as the terminal reporter counted them."""

    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    xfailed: int = 0
    xpassed: int = 0
    exitstatus: int = 0


@dataclass(frozen=True)
class MemoryRun:
    """Everything one pytest run measured, all processes merged."""

    environment: Environment
    collections: tuple[CollectionFigures, ...] = ()
    fixtures: tuple[FixtureStats, ...] = ()
    reports: tuple[MemoryReport, ...] = ()
    processes: tuple[ProcessFigures, ...] = ()
    outcomes: Outcomes = Outcomes()
    wall_seconds: float = 0.0  # of the main (or controller) session
    schema: int = SCHEMA_VERSION

    @property
    def collection(self) -> CollectionFigures | None:
        """The heaviest collecting process (the one a memory limit kills first)."""
        collecting = [c for c in self.collections if c.items] or list(self.collections)
        return max(collecting, key=lambda c: c.peak_mb or c.end_mb, default=None)

    @property
    def peak_mb(self) -> float | None:
        """The largest peak RSS of any process of the run."""
        peaks = [p.peak_mb for p in self.processes if p.peak_mb is not None]
        return max(peaks, default=None)

    def fixture(self, name: str) -> FixtureStats:
        """The (first) measured fixture called ``name``."""
        for stats in self.fixtures:
            if stats.name == name:
                return stats
        raise KeyError(name)


def merge_fixtures(stats: Iterable[FixtureStats]) -> tuple[FixtureStats, ...]:
    """One entry per fixture definition, summing calls and keeping the maxima."""
    merged: dict[tuple[str, str, int], FixtureStats] = {}
    for item in stats:
        seen = merged.get(item.key)
        merged[item.key] = item if seen is None else _combine(seen, item)
    return tuple(sorted(merged.values(), key=lambda s: (-s.max_mb, s.name, s.location)))


def _combine(a: FixtureStats, b: FixtureStats) -> FixtureStats:
    return dataclasses.replace(
        a,
        calls=a.calls + b.calls,
        total_mb=a.total_mb + b.total_mb,
        max_mb=max(a.max_mb, b.max_mb),
        max_inclusive_mb=max(a.max_inclusive_mb, b.max_inclusive_mb),
        total_seconds=a.total_seconds + b.total_seconds,
        max_seconds=max(a.max_seconds, b.max_seconds),
        modules=tuple(sorted({*a.modules, *b.modules})),
    )


def merge(main: MemoryRun, others: Iterable[MemoryRun]) -> MemoryRun:
    """The run seen by the controller: its own figures plus every worker's."""
    runs = (main, *others)
    return dataclasses.replace(
        main,
        collections=tuple(c for run in runs for c in run.collections),
        fixtures=merge_fixtures(s for run in runs for s in run.fixtures),
        reports=tuple(r for run in runs for r in run.reports),
        processes=tuple(p for run in runs for p in run.processes),
    )


# --- JSON ---------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    """A JSON-ready (and execnet-ready) form of a record: dicts, lists, str, numbers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, enum.Enum):
        return value.name if isinstance(value, Impact) else value.value
    if isinstance(value, (tuple, list)):
        return [to_json(item) for item in value]
    return value


def from_json(data: Mapping[str, Any]) -> MemoryRun:
    """Rebuild a :class:`MemoryRun` from :func:`to_json` output (unknown keys ignored)."""
    run = _decode(MemoryRun, data)
    assert isinstance(run, MemoryRun)
    return run


def _decode(kind: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _decode(inner[0], data)
    if origin is tuple:
        item_type = typing.get_args(kind)[0]
        return tuple(_decode(item_type, item) for item in data)
    if isinstance(kind, type) and issubclass(kind, Impact):
        return Impact[data]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _decode(hints[k], v) for k, v in data.items() if k in names})
    if kind is float and isinstance(data, int):
        return float(data)
    return data
