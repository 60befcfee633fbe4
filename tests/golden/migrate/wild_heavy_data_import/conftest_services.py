"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


@pytest.fixture
def make_circle():
    """Circle areas; the default scale is evaluated when the fixture runs."""
    from numpy import pi

    def _area(radius, scale=pi):
        return scale * radius**2

    return _area


@pytest.fixture
def byte_order():
    from numpy import little_endian

    if little_endian:
        return "little"
    return "big"


@pytest.fixture
def grid():
    from numpy import ones

    return ones((2, 2))
