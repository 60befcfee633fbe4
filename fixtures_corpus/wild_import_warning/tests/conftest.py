"""Frames for the reporting tests."""

import warnings

import pandas as pd
import pytest

import tests.compat  # noqa: F401  (shows DeprecationWarnings from here on)


def legacy_option(name):
    """An option the reporting layer still reads, deprecated."""
    warnings.warn(f"option {name!r} is deprecated", DeprecationWarning, stacklevel=2)
    return name


class FrameBuilder:
    """Builds the frames the reports read; reads a deprecated option when defined."""

    option = legacy_option("copy_on_write")

    def build(self, rows):
        return pd.DataFrame({"value": list(range(rows))})


@pytest.fixture
def frame():
    return FrameBuilder().build(3)


@pytest.fixture
def title():
    return "Monthly report"
