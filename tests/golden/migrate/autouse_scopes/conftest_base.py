"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

# Shared, append-only log of setup/teardown events, e.g. "module:setup:tests.test_x".
EVENTS = []

APP_MODE_VAR = "CORPUS_APP_MODE"


@pytest.fixture(scope="session", autouse=True)
def _session_banner():
    """Runs once per process before anything else."""
    EVENTS.append("session:setup")
    yield
    EVENTS.append("session:teardown")


@pytest.fixture(scope="module", autouse=True)
def _module_marker(request):
    """Runs once per test module."""
    name = request.module.__name__
    EVENTS.append(f"module:setup:{name}")
    yield
    EVENTS.append(f"module:teardown:{name}")


@pytest.fixture(scope="class", autouse=True)
def _class_marker(request):
    """Runs once per test class (and per module-level test function)."""
    name = request.cls.__name__ if request.cls is not None else None
    EVENTS.append(f"class:setup:{name}")
    yield
    EVENTS.append(f"class:teardown:{name}")


@pytest.fixture(autouse=True)
def _function_marker(request):
    """Runs around every single test."""
    EVENTS.append(f"function:setup:{request.node.name}")
    yield
    EVENTS.append(f"function:teardown:{request.node.name}")


@pytest.fixture(autouse=True)
def _app_mode(monkeypatch):
    """Autouse fixture with a side effect outside EVENTS: an env var."""
    monkeypatch.setenv(APP_MODE_VAR, "test")


@pytest.fixture
def events():
    """The shared event log (not autouse; requested explicitly by tests)."""
    return EVENTS


@pytest.fixture
def open_events(events):
    """Events set up but not yet torn down, grouped by scope kind."""

    def _open(kind):
        setups = [e for e in events if e.startswith(f"{kind}:setup")]
        teardowns = [e for e in events if e.startswith(f"{kind}:teardown")]
        return len(setups) - len(teardowns)

    return _open
