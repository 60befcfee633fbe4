"""Shared fixtures of the application suite.

The database and API fixtures were already split out by hand into
``tests/fixtures/``; the conftest star-imports them, so pytest registers them
from here, with this conftest's visibility.
"""

import pytest

from tests.fixtures.db import *  # noqa: F401,F403
from tests.fixtures.api import *  # noqa: F401,F403
from tests.fixtures.clock import *  # noqa: F401,F403

APP_NAME = "shop"


@pytest.fixture(scope="session")
def settings():
    """Application settings; the database fixtures read ``db_url``."""
    return {"db_url": "sqlite://", "debug": False, "name": APP_NAME}


@pytest.fixture
def sample_users():
    return [{"id": 1, "name": "ada"}, {"id": 2, "name": "grace"}]


@pytest.fixture
def seeded_session(db_session):
    """A session holding two users, added through the fixture module's helper."""
    make_user(db_session, "ada")
    make_user(db_session, "linus")
    return db_session
