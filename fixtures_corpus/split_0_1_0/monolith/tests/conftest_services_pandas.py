"""Service fixtures: database sessions, managers, the app and its client (the part that imports pandas, numpy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import contextlib
import time
from collections import defaultdict
from typing import TYPE_CHECKING
import numpy as np
import pandas as pd
import pandas.testing as pdt
import psutil
import pytest
from supervisor_service.analytics import runs_to_frame

if TYPE_CHECKING:
    from collections.abc import Iterator

    from _pytest.fixtures import SubRequest

from .conftest_base import register_resource

from .conftest_services_numpy import reference_runs


class PerformanceMonitor:
    """Collects wall-clock samples per label and checks them against budgets."""

    def __init__(self, name: str, budgets: dict[str, float] | None = None) -> None:
        self.name = name
        self.budgets = dict(budgets or {})
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.process = psutil.Process()
        self.rss_start_mb = self.process.memory_info().rss / 2**20

    @contextlib.contextmanager
    def measure(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.record(label, (time.perf_counter() - started) * 1000)

    def record(self, label: str, duration_ms: float) -> None:
        self.samples[label].append(duration_ms)

    def percentile(self, label: str, pct: float) -> float:
        values = self.samples.get(label)
        if not values:
            raise KeyError(f"no samples for {label!r}")
        return float(np.percentile(np.asarray(values), pct))

    def summary(self) -> pd.DataFrame:
        rows = [
            (label, len(v), np.mean(v), np.percentile(v, 50), np.percentile(v, 95), np.max(v))
            for label, v in sorted(self.samples.items())
        ]
        return pd.DataFrame(rows, columns=["label", "count", "mean_ms", "p50_ms", "p95_ms", "max_ms"])

    def assert_within_budget(self, label: str, pct: float = 95) -> float:
        budget = self.budgets.get(label)
        if budget is None:
            raise KeyError(f"no budget configured for {label!r}")
        observed = self.percentile(label, pct)
        assert observed <= budget, f"{label} p{pct:g}={observed:.1f}ms exceeds budget {budget:.1f}ms"
        return observed

    def rss_delta_mb(self) -> float:
        return self.process.memory_info().rss / 2**20 - self.rss_start_mb


@pytest.fixture(scope="module")
def analytics_frame() -> pd.DataFrame:
    frame = runs_to_frame(reference_runs())
    pdt.assert_index_equal(frame.columns, pd.Index(["run_id", "user_id", "agent_name", "status", "duration_ms"]))
    return frame


@pytest.fixture
def performance_monitor(request: SubRequest, performance_budgets: dict[str, float]) -> Iterator[PerformanceMonitor]:
    monitor = PerformanceMonitor(request.node.nodeid, performance_budgets)
    yield monitor
    summary = monitor.summary()
    if not summary.empty:
        register_resource(
            "performance",
            {"test": request.node.nodeid, "labels": list(summary["label"]), "max_ms": float(summary["max_ms"].max())},
        )
