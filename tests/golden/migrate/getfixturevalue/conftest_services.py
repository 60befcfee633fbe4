"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
"""

import pytest


@pytest.fixture
def app_config(request):
    """Pulls ``feature_flags`` with a literal-name ``getfixturevalue``."""
    flags = request.getfixturevalue("feature_flags")
    return {"debug": True, "flags": flags}
