"""A conftest whose module-level values change on every run: the time, ids, random seeds,
the process, where the tree is; and a few that never do."""

import os
import time

import pytest

STARTED = time.time()
HERE = os.path.dirname(os.path.abspath(__file__))
STATS = {"runs": 1}
STATS["started"] = STARTED

CONFIGURED_AT = None


def pytest_configure(config):
    global CONFIGURED_AT
    CONFIGURED_AT = time.time()


def pytest_sessionstart(session):
    SESSIONS.append(time.monotonic())


@pytest.fixture
def timing():
    return {"started": STARTED, "timeout": TIMEOUT, "retries": RETRIES}


@pytest.fixture
def data_dir():
    return os.path.join(HERE, "data")


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

from .conftest_base import RETRIES, SESSIONS, TIMEOUT
