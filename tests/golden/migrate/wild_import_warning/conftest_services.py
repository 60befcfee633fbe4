"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import warnings

import pytest


def legacy_option(name):
    """An option the reporting layer still reads, deprecated."""
    warnings.warn(f"option {name!r} is deprecated", DeprecationWarning, stacklevel=2)
    return name


class FrameBuilder:
    """Builds the frames the reports read; reads a deprecated option when defined."""

    option = legacy_option("copy_on_write")

    def build(self, rows):
        import pandas as pd

        return pd.DataFrame({"value": list(range(rows))})


@pytest.fixture
def frame():
    return FrameBuilder().build(3)
