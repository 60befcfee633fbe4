"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

from tests.fixtures.db import *  # noqa: F401,F403
from tests.fixtures.api import *  # noqa: F401,F403


@pytest.fixture
def seeded_session(db_session):
    """A session holding two users, added through the fixture module's helper."""
    make_user(db_session, "ada")
    make_user(db_session, "linus")
    return db_session
