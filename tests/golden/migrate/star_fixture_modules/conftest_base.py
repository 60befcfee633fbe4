"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

APP_NAME = "shop"


@pytest.fixture(scope="session")
def settings():
    """Application settings; the database fixtures read ``db_url``."""
    return {"db_url": "sqlite://", "debug": False, "name": APP_NAME}


@pytest.fixture
def sample_users():
    return [{"id": 1, "name": "ada"}, {"id": 2, "name": "grace"}]
