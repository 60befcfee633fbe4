"""Numeric fixtures; one of them is named ``array``, as numpy's function is."""

import sys

import numpy as np
import pytest


@pytest.fixture
def array():
    """A sample as a numpy array."""
    return np.arange(3.0)


@pytest.fixture
def doubled(array):
    return np.array(array) * 2


if sys.version_info >= (3, 8):

    @pytest.fixture
    def column():
        return np.array([[1.0], [2.0]])
