"""Module state that hooks and fixtures rebind while the tests run."""

import pytest

DB_URL = None
_server = None


def pytest_configure(config):
    global DB_URL
    DB_URL = "sqlite://"


def pytest_runtest_call(item):
    if item.get_closest_marker("needs_server") is not None:
        item.user_properties.append(("server_seen_by_hook", _server))


@pytest.fixture
def db_url():
    """The URL pytest_configure set."""
    return DB_URL


@pytest.fixture(scope="session")
def server():
    """A session 'server', published to the hooks through a module global."""
    global _server
    _server = {"port": 8080}
    yield _server
    _server = None


@pytest.fixture
def answer():
    """A cheap fixture with no shared state."""
    return 42
