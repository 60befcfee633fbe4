"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
"""

import pytest

from .conftest_base import MODULE_CONNECTIONS, RECORD, _events_for


@pytest.fixture(scope="session", autouse=True)
def _session_audit(request):
    """Session finalizer: every 'setup:X' recorded must have a 'teardown:X'."""

    def check():
        for nodeid in {owner for owner, _ in RECORD}:
            events = _events_for(nodeid)
            for event in events:
                if event.startswith("setup:"):
                    name = event.split(":", 1)[1]
                    assert f"teardown:{name}" in events, (nodeid, events)
        for conn in MODULE_CONNECTIONS:
            # The yield teardown was registered last, so it runs first.
            assert conn["closed"] and conn["notes"] == [
                "yield-teardown",
                "finalizer",
            ], conn

    request.addfinalizer(check)
