"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
"""

import pytest


@pytest.fixture(scope="session")
def app_name():
    return "corpus-app"
