"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


def heavy_helper(size):
    import numpy

    return int(numpy.arange(size).sum())


@pytest.fixture
def matrix():
    import numpy

    return numpy.eye(2)
