"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


@pytest.fixture(scope="session")
def engine():
    import sqlalchemy

    engine = sqlalchemy.create_engine("sqlite://")
    yield engine
    engine.dispose()
