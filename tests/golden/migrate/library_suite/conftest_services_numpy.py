"""Service fixtures: database sessions, managers, the app and its client (the part that imports numpy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations

import numpy as np
import pytest

SEED = 20240611


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator, so every run sees the same numbers."""
    return np.random.default_rng(SEED)
