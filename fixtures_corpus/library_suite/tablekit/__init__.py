"""tablekit: small helpers over pandas DataFrames (test corpus for splitter)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["normalize", "zscore"]


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names lower-cased with underscores, rows without any value dropped."""
    renamed = frame.rename(columns=lambda c: str(c).strip().lower().replace(" ", "_"))
    return renamed.dropna(how="all").reset_index(drop=True)


def zscore(values: pd.Series) -> pd.Series:
    """Standard scores of a numeric series (population standard deviation)."""
    deviation = float(np.std(values.to_numpy(dtype="float64")))
    if deviation == 0.0:
        return pd.Series(np.zeros(len(values)), index=values.index)
    return (values - values.mean()) / deviation
