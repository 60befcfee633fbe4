"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import os
import random
import uuid

import pytest

RUN_ID = uuid.uuid4().hex
RUN_LABEL = f"run-{RUN_ID[:8]}"  # no call of its own: it reads RUN_ID
SEEDS = [random.randrange(10**9) for _ in range(3)]
PID = os.getpid()

TIMEOUT = 30
RETRIES = TIMEOUT // 10
NAMES = sorted({"b", "a"})
SESSIONS = []


@pytest.fixture(scope="session")
def run_id():
    return RUN_ID


@pytest.fixture
def run_label(run_id):
    return RUN_LABEL


@pytest.fixture
def seeds():
    return list(SEEDS)
