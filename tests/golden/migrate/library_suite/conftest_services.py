"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations

import pytest

from tablekit import normalize
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SEED = 20240611


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator, so every run sees the same numbers."""
    import numpy as np

    return np.random.default_rng(SEED)


@pytest.fixture
def raw_frame() -> pd.DataFrame:
    """A frame as it arrives: untidy column names and an empty row."""
    import pandas as pd

    return pd.DataFrame(
        {
            "User Id": [1, 2, None, 4],
            " Score ": [0.5, 0.75, None, 1.0],
            "Team": ["a", "b", None, "a"],
        }
    )


@pytest.fixture
def frame(raw_frame: pd.DataFrame) -> pd.DataFrame:
    """The same frame, normalized."""
    return normalize(raw_frame)


@pytest.fixture
def scores(rng: np.random.Generator) -> pd.Series:
    """Twenty random scores."""
    import pandas as pd

    return pd.Series(rng.normal(loc=50.0, scale=10.0, size=20), name="score")


@pytest.fixture
def csv_file(tmp_path, frame: pd.DataFrame):
    """The normalized frame written to a CSV file."""
    path = tmp_path / "frame.csv"
    frame.to_csv(path, index=False)
    return path
