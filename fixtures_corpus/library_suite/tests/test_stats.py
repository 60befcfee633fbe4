import numpy as np
import pandas as pd
import pytest

from tablekit import zscore
from tablekit.stats import summarize


def test_summary_of_numeric_columns(frame):
    summary = summarize(frame)
    assert set(summary) == {"user_id", "score"}
    assert summary["score"] == {"min": 0.5, "max": 1.0, "mean": pytest.approx(0.75)}


def test_zscores_have_mean_zero_and_unit_deviation(scores):
    standard = zscore(scores)
    assert float(standard.mean()) == pytest.approx(0.0, abs=1e-9)
    assert float(np.std(standard.to_numpy())) == pytest.approx(1.0)


def test_constant_series_has_zero_scores():
    assert zscore(pd.Series([3.0, 3.0, 3.0])).tolist() == [0.0, 0.0, 0.0]


def test_generator_is_seeded(rng):
    assert rng.integers(0, 1_000_000) == np.random.default_rng(20240611).integers(0, 1_000_000)
