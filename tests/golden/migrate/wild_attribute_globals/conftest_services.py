"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


@pytest.fixture
def array():
    """A sample as a numpy array."""
    import numpy as np

    return np.arange(3.0)


@pytest.fixture
def doubled(array):
    import numpy as np

    return np.array(array) * 2
