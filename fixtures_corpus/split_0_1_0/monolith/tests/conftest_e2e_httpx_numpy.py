"""End-to-end fixtures: servers, load clients, environment checks (the part that imports httpx, numpy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import pytest

from .conftest_base import DEFAULT_TEST_USER_ID

from .conftest_services_numpy import reference_runs

from .conftest_e2e_httpx import FakeClickHouseServer


@pytest.fixture
def clickhouse_server() -> FakeClickHouseServer:
    server = FakeClickHouseServer()
    server.tables["agent_runs"].extend(dict(run, user_id=DEFAULT_TEST_USER_ID) for run in reference_runs()[:30])
    return server
