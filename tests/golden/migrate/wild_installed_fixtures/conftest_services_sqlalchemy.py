"""Service fixtures: database sessions, managers, the app and its client (the part that imports sqlalchemy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest
import sqlalchemy


@pytest.fixture(scope="session")
def engine():
    engine = sqlalchemy.create_engine("sqlite://")
    yield engine
    engine.dispose()
