"""pandas / numpy analytics helpers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from supervisor_service.analytics import (
    detect_anomalies,
    latency_percentiles,
    runs_to_frame,
    summarize_runs,
    throughput_per_second,
)
from tests.conftest import AGENT_NAMES, reference_runs


def test_reference_frame_shape(analytics_frame):
    assert len(analytics_frame) == 240
    assert analytics_frame["duration_ms"].dtype == np.float64
    assert set(analytics_frame["agent_name"]) == set(AGENT_NAMES)


def test_reference_runs_are_cached_and_deterministic():
    assert reference_runs() is reference_runs()
    assert reference_runs.cache_info().hits >= 1
    assert reference_runs(seed=7)[0] != reference_runs()[0]


def test_summary_has_one_row_per_agent(analytics_frame):
    summary = summarize_runs(analytics_frame)
    assert list(summary["agent_name"]) == sorted(AGENT_NAMES)
    assert summary["runs"].sum() == len(analytics_frame)
    assert ((summary["success_rate"] > 0.7) & (summary["success_rate"] <= 1.0)).all()
    assert (summary["p95_ms"] >= summary["p50_ms"]).all()


def test_summary_matches_manual_computation(analytics_frame):
    summary = summarize_runs(analytics_frame).set_index("agent_name")
    echo = analytics_frame[analytics_frame["agent_name"] == "echo"]
    assert summary.loc["echo", "runs"] == len(echo)
    assert summary.loc["echo", "p50_ms"] == pytest.approx(float(np.median(echo["duration_ms"])))


def test_summary_of_sample_runs(sample_data):
    frame = runs_to_frame(sample_data["runs"])
    summary = summarize_runs(frame)
    assert summary["runs"].sum() == len(sample_data["runs"])


def test_empty_inputs():
    frame = runs_to_frame([])
    assert frame.empty and list(frame.columns) == ["run_id", "user_id", "agent_name", "status", "duration_ms"]
    assert summarize_runs(frame).empty


def test_missing_columns_are_reported():
    with pytest.raises(ValueError, match="duration_ms"):
        runs_to_frame([{"run_id": "r", "user_id": "u", "agent_name": "echo", "status": "completed"}])


def test_frame_roundtrip_is_lossless():
    records = [dict(r) for r in reference_runs()[:5]]
    frame = runs_to_frame(records)
    expected = pd.DataFrame.from_records(records)
    pdt.assert_frame_equal(frame, expected)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([10.0], {"p50": 10.0, "p95": 10.0, "p99": 10.0}),
        ([1, 2, 3, 4, 5], {"p50": 3.0, "p95": 4.8, "p99": 4.96}),
        ([], {"p50": 0.0, "p95": 0.0, "p99": 0.0}),
    ],
    ids=["single", "linear", "empty"],
)
def test_latency_percentiles(values, expected):
    assert latency_percentiles(values) == pytest.approx(expected)


def test_custom_percentiles(numpy_rng):
    values = numpy_rng.normal(100, 5, size=1000)
    result = latency_percentiles(values, percentiles=(10, 90))
    assert set(result) == {"p10", "p90"}
    assert result["p10"] < 100 < result["p90"]


@pytest.mark.parametrize(
    ("timestamps", "expected"),
    [([0.0, 1.0, 2.0], 1.0), ([5.0, 0.0, 2.5, 10.0], 0.3), ([1.0], 0.0), ([2.0, 2.0], math.inf)],
    ids=["steady", "unsorted", "single", "zero-span"],
)
def test_throughput(timestamps, expected):
    assert throughput_per_second(timestamps) == pytest.approx(expected)


def test_anomaly_detection_finds_spike(numpy_rng):
    values = numpy_rng.normal(50, 2, size=200)
    values[137] = 500
    assert detect_anomalies(values) == [137]


@pytest.mark.parametrize("values", [[], [1, 2], [3, 3, 3, 3]], ids=["empty", "too-short", "constant"])
def test_anomaly_detection_degenerate_inputs(values):
    assert detect_anomalies(values) == []


def test_numpy_rng_is_seeded(numpy_rng):
    assert numpy_rng.integers(0, 1_000_000) == np.random.default_rng(20240229).integers(0, 1_000_000)
