"""Run analytics with pandas / numpy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

RUN_COLUMNS = ["run_id", "user_id", "agent_name", "status", "duration_ms"]


def runs_to_frame(runs: Iterable[Any]) -> pd.DataFrame:
    records = [run if isinstance(run, dict) else run.to_dict() for run in runs]
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in RUN_COLUMNS}).astype(
            {"duration_ms": "float64"}
        )
    missing = [column for column in RUN_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"run records missing columns: {missing}")
    frame["duration_ms"] = frame["duration_ms"].astype("float64")
    return frame


def latency_percentiles(values: Sequence[float], percentiles: Sequence[float] = (50, 95, 99)) -> dict[str, float]:
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return {f"p{int(p)}": 0.0 for p in percentiles}
    return {f"p{int(p)}": float(np.percentile(array, p)) for p in percentiles}


def summarize_runs(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per agent: runs, success rate and latency percentiles."""
    if frame.empty:
        return pd.DataFrame(columns=["agent_name", "runs", "success_rate", "p50_ms", "p95_ms"])
    grouped = frame.groupby("agent_name", sort=True)
    summary = pd.DataFrame(
        {
            "runs": grouped.size(),
            "success_rate": grouped["status"].apply(lambda s: float((s == "completed").mean())),
            "p50_ms": grouped["duration_ms"].apply(lambda s: float(np.percentile(s, 50))),
            "p95_ms": grouped["duration_ms"].apply(lambda s: float(np.percentile(s, 95))),
        }
    )
    return summary.reset_index()


def throughput_per_second(timestamps: Sequence[float]) -> float:
    array = np.sort(np.asarray(timestamps, dtype=float))
    if array.size < 2:
        return 0.0
    span = array[-1] - array[0]
    return float((array.size - 1) / span) if span > 0 else float("inf")


def detect_anomalies(values: Sequence[float], z_threshold: float = 3.0) -> list[int]:
    array = np.asarray(values, dtype=float)
    if array.size < 3:
        return []
    std = array.std()
    if std == 0:
        return []
    scores = np.abs((array - array.mean()) / std)
    return [int(i) for i in np.flatnonzero(scores > z_threshold)]
