"""Summaries of numeric columns."""

from __future__ import annotations

import pandas as pd


def summarize(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """min, max and mean of every numeric column."""
    numeric = frame.select_dtypes("number")
    return {
        column: {
            "min": float(numeric[column].min()),
            "max": float(numeric[column].max()),
            "mean": float(numeric[column].mean()),
        }
        for column in numeric.columns
    }
