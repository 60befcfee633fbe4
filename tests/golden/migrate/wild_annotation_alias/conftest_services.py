"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations

import pytest
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike


@pytest.fixture
def values(shape: tuple[int, int]) -> ArrayLike:
    return [[0] * shape[1] for _ in range(shape[0])]


@pytest.fixture
def kind() -> DTypeLike:
    return "float64"
