"""Service fixtures: database sessions, managers, the app and its client (the part that imports pandas).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import pandas as pd
import pytest

from tablekit import normalize


@pytest.fixture
def raw_frame() -> pd.DataFrame:
    """A frame as it arrives: untidy column names and an empty row."""
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
def csv_file(tmp_path, frame: pd.DataFrame):
    """The normalized frame written to a CSV file."""
    path = tmp_path / "frame.csv"
    frame.to_csv(path, index=False)
    return path
