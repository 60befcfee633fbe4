"""A conftest in a test package whose ``__init__`` imports the heavy library it imports too.

As in sqlmesh (`tests/__init__.py` imports `sqlmesh.core.constants` and disables analytics):
importing the conftest module runs its package first, split or not, so a split saves
nothing while collecting a light test file, and analyze must say so.
"""

import numpy as np
import pytest


@pytest.fixture
def grid():
    return np.ones((2, 2))


@pytest.fixture
def label():
    return "light"
