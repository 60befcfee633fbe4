"""Type aliases from a heavy package, read only in annotations (the wild run's zarr:
``from zarr.core.common import JSON, DimensionNames, ShapeLike`` under postponed
annotations). A split moves the import under ``if TYPE_CHECKING:``; the aliases must
still be the conftest's attributes, as they were.
"""

from __future__ import annotations

import pytest
from numpy.typing import ArrayLike, DTypeLike


@pytest.fixture
def shape() -> tuple[int, int]:
    return (2, 3)


@pytest.fixture
def values(shape: tuple[int, int]) -> ArrayLike:
    return [[0] * shape[1] for _ in range(shape[0])]


@pytest.fixture
def kind() -> DTypeLike:
    return "float64"
