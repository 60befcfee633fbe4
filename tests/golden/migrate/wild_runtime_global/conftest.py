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
