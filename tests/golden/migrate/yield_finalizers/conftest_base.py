"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

# (nodeid, event) tuples, in the order they happened.
RECORD = []
# Every module_connection handed out, checked by the session finalizer.
MODULE_CONNECTIONS = []


def _events_for(nodeid):
    return [event for owner, event in RECORD if owner == nodeid]


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


@pytest.fixture(autouse=True)
def teardown_audit(request):
    """Runs last at teardown; verifies what the other fixtures recorded."""
    yield
    events = _events_for(request.node.nodeid)
    names = request.fixturenames
    if "stacked_finalizers" in names:
        fins = [e for e in events if e.startswith("fin:")]
        assert fins == ["fin:3", "fin:2", "fin:1"], events  # LIFO
    if "inner" in names:
        teardowns = [e for e in events if e.startswith("teardown:")]
        order = [
            t
            for t in teardowns
            if t in ("teardown:inner", "teardown:middle", "teardown:outer")
        ]
        assert order == ["teardown:inner", "teardown:middle", "teardown:outer"], events
    if "must_cleanup" in names:
        assert "teardown:must_cleanup" in events, events


@pytest.fixture
def record(request):
    """Append an event for the current test; also exposes the full log."""

    def _record(event):
        RECORD.append((request.node.nodeid, event))

    _record.log = RECORD
    _record.events_for = _events_for
    return _record


@pytest.fixture
def resource(record):
    """Plain yield fixture with setup and teardown."""
    record("setup:resource")
    handle = {"open": True}
    yield handle
    handle["open"] = False
    record("teardown:resource")


@pytest.fixture
def stacked_finalizers(request, record):
    """Registers three finalizers; pytest must run them last-in, first-out."""
    for i in (1, 2, 3):
        request.addfinalizer(lambda i=i: record(f"fin:{i}"))
    return [1, 2, 3]


@pytest.fixture
def outer(record):
    record("setup:outer")
    yield ["outer"]
    record("teardown:outer")


@pytest.fixture
def middle(outer, record):
    record("setup:middle")
    yield outer + ["middle"]
    record("teardown:middle")


@pytest.fixture
def inner(middle, record):
    record("setup:inner")
    yield middle + ["inner"]
    record("teardown:inner")


@pytest.fixture
def must_cleanup(record):
    """Teardown that has to run even when the test body raises."""
    record("setup:must_cleanup")
    state = {"dirty": True}
    yield state
    state["dirty"] = False
    record("teardown:must_cleanup")


@pytest.fixture(scope="module")
def module_connection(request):
    """Module-scoped yield fixture mixing yield and addfinalizer."""
    conn = {"module": request.module.__name__, "closed": False, "notes": []}
    request.addfinalizer(lambda: conn["notes"].append("finalizer"))
    MODULE_CONNECTIONS.append(conn)
    yield conn
    conn["notes"].append("yield-teardown")
    conn["closed"] = True
