"""Fixtures registered through the conftest's pytest_plugins; they import numpy at the top."""

import numpy as np
import pytest


@pytest.fixture
def row():
    return np.arange(3)
