"""Service fixtures: database sessions, managers, the app and its client (the part that imports pandas, numpy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def scores(rng: np.random.Generator) -> pd.Series:
    """Twenty random scores."""
    return pd.Series(rng.normal(loc=50.0, scale=10.0, size=20), name="score")
