"""A conftest whose module-level values change on every run: the time, ids, random seeds,
the process, where the tree is; and a few that never do."""

import os
import random
import time
import uuid

import pytest

STARTED = time.time()
RUN_ID = uuid.uuid4().hex
RUN_LABEL = f"run-{RUN_ID[:8]}"  # no call of its own: it reads RUN_ID
SEEDS = [random.randrange(10**9) for _ in range(3)]
PID = os.getpid()
HERE = os.path.dirname(os.path.abspath(__file__))
STATS = {"runs": 1}
STATS["started"] = STARTED

TIMEOUT = 30
RETRIES = TIMEOUT // 10
NAMES = sorted({"b", "a"})

CONFIGURED_AT = None
SESSIONS = []


def pytest_configure(config):
    global CONFIGURED_AT
    CONFIGURED_AT = time.time()


def pytest_sessionstart(session):
    SESSIONS.append(time.monotonic())


@pytest.fixture(scope="session")
def run_id():
    return RUN_ID


@pytest.fixture
def run_label(run_id):
    return RUN_LABEL


@pytest.fixture
def timing():
    return {"started": STARTED, "timeout": TIMEOUT, "retries": RETRIES}


@pytest.fixture
def seeds():
    return list(SEEDS)


@pytest.fixture
def data_dir():
    return os.path.join(HERE, "data")
