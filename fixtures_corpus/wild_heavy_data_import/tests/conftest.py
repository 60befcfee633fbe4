"""Fixtures reading plain data that a heavy package defines, only inside their bodies.

As in pip-tools (`from piptools.locations import DEFAULT_CONFIG_FILE_NAMES`, read in the
default of a function a fixture returns) and sqlmesh (`from sqlmesh.utils.windows import
IS_WINDOWS, fix_windows_path`, the flag read in a fixture's body).
"""

import pytest
from numpy import little_endian
from numpy import ones, pi


@pytest.fixture
def make_circle():
    """Circle areas; the default scale is evaluated when the fixture runs."""

    def _area(radius, scale=pi):
        return scale * radius**2

    return _area


@pytest.fixture
def byte_order():
    if little_endian:
        return "little"
    return "big"


@pytest.fixture
def grid():
    return ones((2, 2))


@pytest.fixture
def label():
    return "light"
