import numpy as np
import pandas as pd

from tablekit import normalize


def test_columns_are_normalized(frame):
    assert list(frame.columns) == ["user_id", "score", "team"]


def test_empty_rows_are_dropped(raw_frame, frame):
    assert len(raw_frame) == 4 and len(frame) == 3


def test_normalize_is_idempotent(frame):
    pd.testing.assert_frame_equal(normalize(frame), frame)


def test_round_trip_through_csv(csv_file, frame):
    pd.testing.assert_frame_equal(pd.read_csv(csv_file), frame)


def test_numeric_columns_stay_numeric(frame):
    assert np.issubdtype(frame["score"].dtype, np.floating)
