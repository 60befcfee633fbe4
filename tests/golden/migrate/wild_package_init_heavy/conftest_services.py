"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


@pytest.fixture
def grid():
    import numpy as np

    return np.ones((2, 2))
