"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import sqlite3

import pytest


def tmp_config(**overrides):
    """Plain helper (NOT a fixture) building a configuration mapping.

    It deliberately shares its name with the ``tmp_config`` *fixture* below,
    which is implemented by ``_tmp_config_fixture``.
    """
    base = {"debug": False, "dsn": ":memory:", "schema": "users"}
    base.update(overrides)
    return base


@pytest.fixture(name="tmp_config")
def _tmp_config_fixture():
    """Registered as ``tmp_config``; delegates to the helper of the same name."""
    return tmp_config(debug=True)


class UserRepo:
    """Tiny repository object over a sqlite connection."""

    def __init__(self, conn):
        self.conn = conn

    def add(self, name):
        cur = self.conn.execute("insert into users (name) values (?)", (name,))
        return cur.lastrowid

    def names(self):
        return [
            row[0] for row in self.conn.execute("select name from users order by id")
        ]


# Connections closed by the ``db`` fixture, so tests can check its teardown.
CLOSED_CONNECTIONS = []


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


@pytest.fixture(name="user_repo")
def user_repository_fixture(db):
    """Repository bound to the ``db`` connection."""
    return UserRepo(db)


@pytest.fixture(name="seeded_repo")
def _seeded(user_repo):
    """Repository pre-populated with two users (requests ``user_repo`` by name)."""
    user_repo.add("alice")
    user_repo.add("bob")
    return user_repo


@pytest.fixture(name="closed_connections")
def _closed_connections_fixture():
    """Expose the teardown log of ``db`` to tests."""
    return CLOSED_CONNECTIONS
