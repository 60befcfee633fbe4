"""A conftest whose pytest_plugins module imports the same heavy library it does.

As in poetry (`pytest_plugins = ["tests.repositories.fixtures"]`, a module that imports
poetry, which the conftest imports too): pytest imports the plugin while it collects,
split or not, so a split saves nothing while collecting, and analyze must say so.
"""

import numpy as np
import pytest

pytest_plugins = ["heavy_plugin"]


@pytest.fixture
def grid():
    return np.ones((2, 2))


@pytest.fixture
def label():
    return "light"
