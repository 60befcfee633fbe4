"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
"""

import pytest

from .conftest_base import USER_DB


@pytest.fixture
def user_db():
    """The shared fake database (to check the factory's cleanup)."""
    return USER_DB
