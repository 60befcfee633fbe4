"""Service fixtures: database sessions, managers, the app and its client (the part that imports numpy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import functools
from typing import Any
import numpy as np
import numpy.random
import pytest

from .conftest_base import AGENT_NAMES


@functools.lru_cache(maxsize=4)
def reference_runs(seed: int = 1234, count: int = 240) -> tuple[dict[str, Any], ...]:
    """Deterministic synthetic agent runs used by analytics tests.

    Cached because several module-scoped fixtures build frames from it.
    """
    rng = np.random.default_rng(seed)
    agents = rng.choice(AGENT_NAMES, size=count)
    durations = np.round(rng.gamma(shape=2.0, scale=15.0, size=count), 3)
    failed = rng.random(count) < 0.1
    users = rng.integers(1, 6, size=count)
    return tuple(
        {
            "run_id": f"run_{i:04d}",
            "user_id": f"user_{users[i]:02d}",
            "agent_name": str(agents[i]),
            "status": "failed" if failed[i] else "completed",
            "duration_ms": float(durations[i]),
        }
        for i in range(count)
    )


@pytest.fixture
def numpy_rng() -> np.random.Generator:
    return numpy.random.default_rng(20240229)
