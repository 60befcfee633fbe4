"""The fixtures are reachable only through their registered names."""

import sqlite3

import pytest


def test_tmp_config_fixture_uses_helper(tmp_config):
    # The fixture calls the helper with debug=True, the helper supplies the rest.
    assert tmp_config == {"debug": True, "dsn": ":memory:", "schema": "users"}


def test_db_is_a_sqlite_connection(db):
    assert isinstance(db, sqlite3.Connection)
    assert db.execute("select count(*) from users").fetchone() == (0,)


@pytest.mark.parametrize(
    "function_name",
    ["db_fixture", "_tmp_config_fixture", "user_repository_fixture", "_seeded",
     "_closed_connections_fixture"],
)
def test_function_names_are_not_fixture_names(request, function_name):
    with pytest.raises(pytest.FixtureLookupError):
        request.getfixturevalue(function_name)


def test_db_teardown_closes_connection(db, closed_connections):
    # Any connection handed out by an earlier test has been closed in teardown.
    for conn in closed_connections:
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("select 1")
    assert db not in closed_connections
