"""The pytest plugin: off unless asked, and then it measures every fixture setup.

Loaded in every pytest run of a project with splitter installed (entry point
``pytest11``: ``splitter_memory``; ``-p no:splitter_memory`` disables it). When
``--fixture-memory`` is not given it only adds its options and the
``memory_reporter`` fixture: no hook does work per test or per fixture, and
nothing beyond this module and the tiny :mod:`splitter.memory` package is
imported. Everything that measures lives in :mod:`splitter.memory.recorder`,
imported on demand.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from splitter.memory.recorder import Reports
    from splitter.memory.reporter import MemoryReporter

REGISTERED_AS = "splitter-memory-recorder"
# The modules loaded before the first conftest: memory_reporter.get_loaded_modules() lists
# the others. Taken once per run in pytest_load_initial_conftests (~10 µs).
STARTUP_MODULES = pytest.StashKey[frozenset[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("splitter-memory", "fixture memory (splitter)")
    group.addoption(
        "--fixture-memory",
        action="store_true",
        default=False,
        help="Measure the RSS growth, time and new imports of every fixture setup and of "
        "collection, and print a per-fixture table at the end.",
    )
    group.addoption(
        "--fixture-memory-json",
        metavar="PATH",
        default=None,
        help="Also write the measurements as JSON to PATH (implies --fixture-memory).",
    )


def enabled(options: Any) -> bool:
    """Whether the options ask for measuring."""
    return bool(
        getattr(options, "fixture_memory", False)
        or getattr(options, "fixture_memory_json", None)
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config,
) -> Generator[None, Any, None]:
    # The earliest hook with parsed options, before the first conftest is imported.
    early_config.stash[STARTUP_MODULES] = frozenset(sys.modules)
    if enabled(early_config.known_args_namespace):
        start(early_config, measured_from="pytest_load_initial_conftests")
    yield


def pytest_configure(config: pytest.Config) -> None:
    if enabled(config.option):
        start(config, measured_from="pytest_configure")
    elif getattr(config.option, "dist", "no") != "no" and not hasattr(
        config, "workerinput"
    ):
        config.pluginmanager.register(WorkerReports(), "splitter-memory-worker-reports")


def start(config: pytest.Config, measured_from: str) -> None:
    """Register the recorder, once per run."""
    if config.pluginmanager.get_plugin(REGISTERED_AS) is None:
        from splitter.memory.recorder import Recorder

        recorder = Recorder(config, startup_modules(config), measured_from)
        config.pluginmanager.register(recorder, REGISTERED_AS)


def startup_modules(config: pytest.Config) -> frozenset[str]:
    """The modules loaded before the first conftest (now, if that moment was missed)."""
    return config.stash.get(STARTUP_MODULES, None) or frozenset(sys.modules)


def reports(config: pytest.Config) -> Reports:
    """The run's report collector: the recorder, or a light one registered on first use."""
    from splitter.memory.recorder import Reports

    plugin = config.pluginmanager.get_plugin(REGISTERED_AS)
    if not isinstance(plugin, Reports):
        plugin = Reports(config, startup_modules(config))
        config.pluginmanager.register(plugin, REGISTERED_AS)
    return plugin


class WorkerReports:
    """On an xdist controller that is not measuring: prints the workers' memory reports.

    Imports nothing until a worker actually sends reports.
    """

    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        from splitter.memory.records import PAYLOAD

        payload = (getattr(node, "workeroutput", None) or {}).get(PAYLOAD)
        if payload:
            self.payloads.append(payload)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.payloads:
            from splitter.memory.recorder import print_worker_reports

            print_worker_reports(self.payloads, terminalreporter)


@pytest.fixture
def memory_reporter(request: pytest.FixtureRequest) -> MemoryReporter:
    """Record RSS at points of a test: ``memory_reporter.report("after load")``.

    Reports show in the run's summary (and in ``--fixture-memory-json``);
    ``memory_reporter.get_loaded_modules()`` lists the modules imported since
    pytest started loading conftests.
    """
    return reports(request.config).reporter(request.node.nodeid)
