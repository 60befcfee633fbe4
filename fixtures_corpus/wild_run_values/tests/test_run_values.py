import os
import time

from tests import conftest


def test_run_id_and_label(run_id, run_label):
    assert len(run_id) == 32 and run_label == f"run-{run_id[:8]}"


def test_timing(timing):
    assert timing["started"] <= time.time() and (timing["timeout"], timing["retries"]) == (30, 3)


def test_seeds(seeds):
    assert len(seeds) == 3 and all(isinstance(s, int) for s in seeds)


def test_data_dir(data_dir):
    assert data_dir == os.path.join(os.path.dirname(conftest.__file__), "data")


def test_values_bound_at_run_time():
    assert conftest.CONFIGURED_AT >= conftest.STARTED and len(conftest.SESSIONS) == 1
    assert conftest.PID == os.getpid() and conftest.STATS["started"] == conftest.STARTED
    assert conftest.NAMES == ["a", "b"]
