"""Shared pytest fixtures for the supervisor-service test-suite.

This file is imported by *every* test under ``tests/`` (unit, integration and
e2e).  It grew organically; please keep the numbered section banners intact
so that people can find things (grep for "# 9. Database").

History
-------
* 2023-03  initial fixtures for the v1 API (test_user, auth_headers, client)
* 2023-07  ClickHouse analytics + mock client
* 2023-11  "phase 0" isolation work: UserExecutionContext everywhere,
           request scoped supervisor, database_session_isolation
* 2024-02  v2 users (test_user_v2 / auth_headers_v2)
* 2024-06  e2e throughput tests against a loopback websocket server
* 2024-10  real service fixtures (Postgres / Redis / ClickHouse), opt-in
* 2025-01  pytest-asyncio 1.x migration (event_loop fixture removed)
"""

from __future__ import annotations
import logging
import os
import time
from pathlib import Path
import pytest

from supervisor_service import __version__

try:  # psycopg is optional: only needed for --run-real-services against Postgres
    import psycopg  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the developer machine
    psycopg = None

os.environ.setdefault("SUPERVISOR_ENV", "test")


# -- splitter: generated, maintained by `splitter sync`. Runs conftest_loader.py,
# which loads the split modules, and binds their fixtures here (visibility kept).
def _load_split():
    import importlib.util
    import os
    import sys

    name = f"{__package__}.conftest_loader" if __package__ else "conftest_loader"
    path = os.path.join(os.path.dirname(__file__), "conftest_loader.py")
    spec = importlib.util.spec_from_file_location(name, path)
    sys.modules[name] = loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    return loader.CONFTEST_NAMES


globals().update(_load_split())

from .conftest_base import (
    CUSTOM_MARKERS,
    DEFAULT_E2E_USERS,
    DIRECTORY_MARKERS,
    LOG_FORMAT,
    MAX_E2E_USERS,
    TEST_RESOURCE_REGISTRY,
    TEST_SECRET_KEY,
    _SESSION_START_KEY,
    any_real_service_reachable,
    logger,
    real_services_requested,
    registry_counts,
)

os.environ.setdefault("SUPERVISOR_SECRET_KEY", TEST_SECRET_KEY)
os.environ.setdefault("DATABASE_URL", "sqlite+pysqlite:///:memory:")
os.environ.setdefault("SESSION_TTL_SECONDS", "900")
os.environ.setdefault("MAX_CONCURRENT_RUNS", "4")
os.environ.setdefault("MEMORY_SOFT_LIMIT_MB", "4096")
logging.basicConfig(level=os.environ.get("TEST_LOG_LEVEL", "WARNING"), format=LOG_FORMAT)


# =============================================================================
# 6. Pytest hooks
# =============================================================================


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("supervisor", "supervisor-service test options")
    group.addoption(
        "--run-real-services",
        action="store_true",
        default=False,
        help="run tests marked real_services against POSTGRES_URL / REDIS_URL / CLICKHOUSE_URL",
    )
    group.addoption(
        "--e2e-users",
        action="store",
        type=int,
        default=DEFAULT_E2E_USERS,
        help=f"number of simulated users in e2e tests (default {DEFAULT_E2E_USERS}, max {MAX_E2E_USERS})",
    )


def pytest_configure(config: pytest.Config) -> None:
    for name, description in CUSTOM_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    config.stash[_SESSION_START_KEY] = time.perf_counter()


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        f"supervisor-service {__version__}; real services requested: {real_services_requested(config)}",
        f"psycopg available: {psycopg is not None}",
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by directory and gate real-service tests.

    real_services tests run when --run-real-services / RUN_REAL_SERVICES=1 is
    given, or when at least one service answers on its port.  Otherwise they
    are skipped at collection time so nobody waits for connect timeouts.
    """
    tests_root = Path(__file__).resolve().parent
    run_real: bool | None = True if real_services_requested(config) else None
    skip_real = pytest.mark.skip(reason="real services not enabled (use --run-real-services) and none reachable")
    for item in items:
        try:
            relative = Path(str(item.path)).resolve().relative_to(tests_root)
        except ValueError:
            continue  # not one of ours (e.g. the other/ directory)
        if len(relative.parts) > 1:
            marker = DIRECTORY_MARKERS.get(relative.parts[0])
            if marker and item.get_closest_marker(marker) is None:
                item.add_marker(getattr(pytest.mark, marker))
        if item.get_closest_marker("real_services") is not None:
            if run_real is None:
                run_real = any_real_service_reachable()
            if not run_real:
                item.add_marker(skip_real)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    # Expose the per-phase report on the item (item.rep_setup / rep_call /
    # rep_teardown) so fixtures can react to failures during teardown.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    started = session.config.stash.get(_SESSION_START_KEY, None)
    elapsed = time.perf_counter() - started if started is not None else float("nan")
    logger.info("session finished in %.2fs (exit %s); registry=%s", elapsed, exitstatus, registry_counts())
    slow = [entry for entry in TEST_RESOURCE_REGISTRY["performance"] if entry.get("max_ms", 0) > 1_000]
    for entry in slow:
        logger.warning("slow e2e measurement: %s", entry)
