"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
"""

import pytest

from .conftest_base import EVENTS

APP_MODE_VAR = "CORPUS_APP_MODE"


@pytest.fixture(scope="session", autouse=True)
def _session_banner():
    """Runs once per process before anything else."""
    EVENTS.append("session:setup")
    yield
    EVENTS.append("session:teardown")


@pytest.fixture(autouse=True)
def _app_mode(monkeypatch):
    """Autouse fixture with a side effect outside EVENTS: an env var."""
    monkeypatch.setenv(APP_MODE_VAR, "test")
