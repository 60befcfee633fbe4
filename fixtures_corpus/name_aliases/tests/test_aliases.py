"""Fixtures that depend on each other via registered names."""


def test_database_is_alias_of_db(database, db):
    assert database is db


def test_user_repo_wraps_db(user_repo, db):
    assert user_repo.conn is db
    user_repo.add("carol")
    assert user_repo.names() == ["carol"]


def test_seeded_repo_shares_repo_instance(seeded_repo, user_repo, database):
    assert seeded_repo is user_repo
    assert seeded_repo.conn is database
    assert seeded_repo.names() == ["alice", "bob"]


def test_each_test_gets_a_fresh_database(seeded_repo):
    seeded_repo.add("dave")
    assert seeded_repo.names() == ["alice", "bob", "dave"]
