"""The hooks that run only when memory is being measured.

:mod:`splitter.memory.plugin` registers one of these plugin objects on demand:

- :class:`Reports` when a test uses ``memory_reporter`` — it collects reports,
  ships them from workers to the controller and prints them;
- :class:`Recorder` (a :class:`Reports`) for ``--fixture-memory`` — it also
  measures collection and every fixture setup.

Nothing here is imported by a run that does not ask for it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import sys
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from splitter.memory.collection import (
    CollectionTally,
    ConftestWatch,
    ImportWatch,
    site_key,
)
from splitter.memory.declare import declared_profile, original_function
from splitter.memory.ledger import Closed, Ledger
from splitter.memory.records import (
    MB,
    PAYLOAD,
    CollectionFigures,
    Environment,
    FixtureStats,
    MemoryReport,
    MemoryRun,
    Outcomes,
    ProcessFigures,
    SiteKind,
    from_json,
    merge,
    merge_fixtures,
    to_json,
)
from splitter.memory.reporter import MemoryReporter
from splitter.memory.sampling import peak_rss, process_age, rss_reader, total_memory
from splitter.memory.terminal import report_lines, summary_lines


def process_label(config: pytest.Config) -> str:
    """``gw0``… on an xdist worker, ``controller`` when distributing, else ``main``."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return str(workerinput.get("workerid", "worker"))
    return "controller" if distributing(config) else "main"


def distributing(config: pytest.Config) -> bool:
    """Whether this process is an xdist controller sending tests to workers."""
    return getattr(config.option, "dist", "no") != "no" and not hasattr(
        config, "workerinput"
    )


def json_path(config: pytest.Config) -> Path | None:
    """Where ``--fixture-memory-json`` asks for the JSON, from the invocation directory."""
    value = config.getoption("fixture_memory_json", None)
    return None if not value else config.invocation_params.dir / value


class Reports:
    """Collects ``memory_reporter`` reports and brings workers' runs to the controller."""

    def __init__(self, config: pytest.Config, startup_modules: frozenset[str]) -> None:
        self.config = config
        self.startup_modules = startup_modules
        self.reports: list[MemoryReport] = []
        self.remote: list[MemoryRun] = []
        self.final: MemoryRun | None = None
        self._rss = rss_reader()

    @property
    def process(self) -> str:
        """This process's label; asked late, as xdist tells a worker what it is after startup."""
        return process_label(self.config)

    def reporter(self, test: str) -> MemoryReporter:
        """A ``memory_reporter`` for the test with node id ``test``."""
        return MemoryReporter(
            process=self.process,
            test=test,
            rss=self._rss,
            startup_modules=self.startup_modules,
            sink=self.reports.append,
        )

    def local_run(self, session: pytest.Session) -> MemoryRun:
        """What this process measured."""
        return MemoryRun(
            environment=environment(self.config), reports=tuple(self.reports)
        )

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        run = self.local_run(session)
        if hasattr(self.config, "workerinput"):
            self.config.workeroutput[PAYLOAD] = to_json(run)  # type: ignore[attr-defined]
            return
        run = merge(run, self.remote)
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        self.final = _with_outcomes(
            run, getattr(reporter, "stats", {}), int(exitstatus)
        )
        target = json_path(self.config)
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                json.dumps(to_json(self.final), indent=2) + "\n", encoding="utf-8"
            )

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        payload = (getattr(node, "workeroutput", None) or {}).get(PAYLOAD)
        if payload:
            self.remote.append(from_json(payload))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.final is None:
            return
        lines = summary_lines(self.final, full=isinstance(self, Recorder))
        if lines:
            terminalreporter.write_sep("=", "fixture memory (splitter)")
            for line in lines:
                terminalreporter.write_line(line)
        target = json_path(self.config)
        if target is not None:
            terminalreporter.write_line(f"fixture memory JSON written to {target}")


def print_worker_reports(payloads: list[dict[str, Any]], terminalreporter: Any) -> None:
    """Print the ``memory_reporter`` reports that xdist workers sent to a controller."""
    lines = report_lines(
        [report for payload in payloads for report in from_json(payload).reports]
    )
    if lines:
        terminalreporter.write_sep("=", "fixture memory (splitter)")
        for line in lines:
            terminalreporter.write_line(line)


@dataclass
class _FixtureTally:
    info: FixtureStats  # identity fields; the counters below replace its zeros
    calls: int = 0
    total_mb: float = 0.0
    max_mb: float = float("-inf")
    max_inclusive_mb: float = float("-inf")
    total_seconds: float = 0.0
    max_seconds: float = 0.0
    modules: set[str] = field(default_factory=set)

    def add(self, closed: Closed) -> None:
        self.calls += 1
        self.total_mb += closed.self_mb
        self.max_mb = max(self.max_mb, closed.self_mb)
        self.max_inclusive_mb = max(self.max_inclusive_mb, closed.inclusive_mb)
        self.total_seconds += closed.self_seconds
        self.max_seconds = max(self.max_seconds, closed.self_seconds)
        self.modules.update(closed.modules)

    def stats(self) -> FixtureStats:
        return dataclasses.replace(
            self.info,
            calls=self.calls,
            total_mb=self.total_mb,
            max_mb=self.max_mb,
            max_inclusive_mb=self.max_inclusive_mb,
            total_seconds=self.total_seconds,
            max_seconds=self.max_seconds,
            modules=tuple(sorted(self.modules)),
        )


class Recorder(Reports):
    """Measures collection and every fixture setup of this process."""

    def __init__(
        self, config: pytest.Config, startup_modules: frozenset[str], measured_from: str
    ) -> None:
        super().__init__(config, startup_modules)
        self.measured_from = measured_from
        self.ledger = Ledger(rss_reader())
        self.started = time.perf_counter()
        self.baseline_mb = self.ledger.sample() / MB
        self.tally = CollectionTally(config.rootpath)
        self.imports = ImportWatch(self.ledger, self.tally)
        self.conftests = ConftestWatch(config.pluginmanager, self.ledger, self.tally)
        self.collection: CollectionFigures | None = None
        self.fixtures: dict[Any, _FixtureTally] = {}
        self.imports.install()
        self.conftests.install()

    # --- collection ------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_make_collect_report(
        self, collector: pytest.Collector
    ) -> Generator[None, Any, None]:
        if self.collection is not None or isinstance(collector, pytest.Session):
            yield
            return
        path = str(collector.path)
        self.ledger.push(site_key(SiteKind.COLLECTOR, path, self.tally))
        try:
            yield
        finally:
            closed = self.ledger.pop()
            self.tally.add_site(
                closed, SiteKind.COLLECTOR, path, self.ledger.open_keys()
            )

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.finish_collection(items=len(session.items))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> None:
        # An xdist controller never collects: its "collection" ends when its loop starts.
        self.finish_collection(items=len(getattr(session, "items", ())))

    def finish_collection(self, items: int) -> None:
        """Stop watching imports and freeze the collection figures."""
        if self.collection is not None:
            return
        self.imports.uninstall()
        self.conftests.uninstall()
        end_mb = self.ledger.sample() / MB
        peak = _peak_mb(end_mb)
        age = process_age()
        self.collection = CollectionFigures(
            process=self.process,
            measured_from=self.measured_from,
            baseline_mb=self.baseline_mb,
            end_mb=end_mb,
            peak_mb=peak,
            seconds=time.perf_counter() - self.started,
            since_start_seconds=age,
            items=items,
            modules_imported=self.ledger.modules.total,
            sites=self.tally.site_costs(),
            imports=self.tally.import_costs(),
            project_files=self.tally.project_files(
                set(sys.modules) - self.startup_modules
            ),
        )

    # --- fixtures --------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_fixture_setup(
        self, fixturedef: Any, request: Any
    ) -> Generator[None, Any, None]:
        self.ledger.push(None)
        try:
            yield
        finally:
            closed = self.ledger.pop()
            tally = self.fixtures.get(fixturedef)
            if tally is None and is_parametrize_argument(fixturedef):
                return  # measured (so the enclosing setup excludes it) but not a fixture of anyone's
            if tally is None:
                tally = self.fixtures[fixturedef] = _FixtureTally(
                    self._describe(fixturedef)
                )
            tally.add(closed)

    def _describe(self, fixturedef: Any) -> FixtureStats:
        """The identity of a fixture definition: name, where it is defined, what it requests."""
        function = original_function(fixturedef.func)
        code = getattr(function, "__code__", None)
        file = getattr(code, "co_filename", None)
        if isinstance(file, str) and self.tally.is_project_file(file):
            location = self.tally.relative(file)
        else:
            location = str(getattr(function, "__module__", None) or file or "?")
        declared = declared_profile(fixturedef.func)
        return FixtureStats(
            name=str(fixturedef.argname),
            function=str(getattr(function, "__name__", fixturedef.argname)),
            location=location,
            line=int(getattr(code, "co_firstlineno", 0)),
            scope=str(fixturedef.scope),
            argnames=tuple(str(name) for name in fixturedef.argnames),
            description=_first_line(getattr(function, "__doc__", None)),
            declared_level=None if declared is None else declared.level,
            declared_description="" if declared is None else declared.description,
            calls=0,
            total_mb=0.0,
            max_mb=0.0,
            max_inclusive_mb=0.0,
            total_seconds=0.0,
            max_seconds=0.0,
        )

    # --- the end ---------------------------------------------------------------------

    def local_run(self, session: pytest.Session) -> MemoryRun:
        self.finish_collection(items=len(getattr(session, "items", ())))
        assert self.collection is not None
        end_mb = self.ledger.sample() / MB
        process = ProcessFigures(
            process=self.process,
            end_mb=end_mb,
            peak_mb=_peak_mb(end_mb),
            seconds=time.perf_counter() - self.started,
        )
        return MemoryRun(
            environment=environment(self.config),
            collections=(self.collection,),
            fixtures=merge_fixtures(t.stats() for t in self.fixtures.values()),
            reports=tuple(self.reports),
            processes=(process,),
            wall_seconds=time.perf_counter() - self.started,
        )


def is_parametrize_argument(fixturedef: Any) -> bool:
    """Whether pytest made this "fixture" for a ``@pytest.mark.parametrize`` argument."""
    return getattr(fixturedef.func, "__name__", "") == "get_direct_param_fixture_func"


def _peak_mb(current_mb: float) -> float | None:
    """The process's peak RSS so far; never below the current sample (the kernel's
    counters lag the exact RSS by a few pages)."""
    peak = peak_rss()
    return None if peak is None else max(peak / MB, current_mb)


def _first_line(docstring: str | None) -> str:
    """The first non-blank line of a docstring."""
    for line in (docstring or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def environment(config: pytest.Config) -> Environment:
    """Python, platform, CPU count, pytest version and the invocation of this run."""
    workers = getattr(config.option, "numprocesses", None)
    return Environment(
        python=platform.python_version(),
        implementation=platform.python_implementation(),
        platform=platform.platform(terse=True),
        cpus=os.cpu_count(),
        pytest=pytest.__version__,
        rootdir=str(config.rootpath),
        args=tuple(config.invocation_params.args),
        workers=int(workers) if isinstance(workers, int) else 0,
        memory_mb=total_memory() / MB,
    )


def _with_outcomes(
    run: MemoryRun, stats: dict[str, list[Any]], exitstatus: int
) -> MemoryRun:
    """The run with the terminal reporter's outcome counts."""
    outcomes = Outcomes(
        passed=len(stats.get("passed", ())),
        failed=len(stats.get("failed", ())),
        errors=len(stats.get("error", ())),
        skipped=len(stats.get("skipped", ())),
        xfailed=len(stats.get("xfailed", ())),
        xpassed=len(stats.get("xpassed", ())),
        exitstatus=exitstatus,
    )
    return dataclasses.replace(run, outcomes=outcomes)
