"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
"""

import sqlite3

import pytest

from .conftest_base import CLOSED_CONNECTIONS


@pytest.fixture(name="db")
def db_fixture(tmp_config):
    """In-memory sqlite connection, registered as ``db``."""
    conn = sqlite3.connect(tmp_config["dsn"])
    conn.execute(
        f"create table {tmp_config['schema']} (id integer primary key, name text)"
    )
    yield conn
    conn.close()
    CLOSED_CONNECTIONS.append(conn)


@pytest.fixture
def database(db):
    """Alias fixture: the very same connection object under a second name."""
    return db
