"""Repositories against SQLite with per-test transactional isolation."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from supervisor_service.db import AgentRun, RunRepository, User, UserRepository


def test_isolated_session_starts_empty(isolated_db_session):
    assert UserRepository(isolated_db_session).count() == 0


def test_seeded_users_are_visible_in_session(isolated_db_session, seeded_users):
    repo = UserRepository(isolated_db_session)
    assert repo.count() == len(seeded_users) == 5
    assert [u.id for u in repo.list(role="admin")] == [u["id"] for u in seeded_users if u["role"] == "admin"]


@pytest.mark.parametrize("attempt", range(3))
def test_commits_never_leak_between_tests(isolated_db_session, user_factory, attempt):
    # Each parametrization commits a user with the SAME email; without
    # rollback the second one would violate the unique constraint.
    data = user_factory.build(email="same@example.com")
    user_factory.persist(isolated_db_session, data)
    isolated_db_session.commit()
    assert UserRepository(isolated_db_session).by_email("SAME@example.com").id == data["id"]


def test_commit_is_only_a_savepoint(database_session_isolation, user_factory):
    session = database_session_isolation.session
    user_factory.persist(session, user_factory.build())
    session.commit()
    assert UserRepository(session).count() == 1
    assert database_session_isolation.committed_user_count() == database_session_isolation.baseline


def test_rollback_inside_test_keeps_earlier_savepoints(database_session_isolation, user_factory):
    session = database_session_isolation.session
    first = user_factory.build()
    user_factory.persist(session, first)
    session.commit()
    with pytest.raises(IntegrityError):
        user_factory.persist(session, user_factory.build(email=first["email"]))  # flushes
    session.rollback()
    assert [u.id for u in UserRepository(session).list()] == [first["id"]]


def test_run_repository_counts(isolated_db_session, seeded_users):
    runs = RunRepository(isolated_db_session)
    owner = seeded_users[0]["id"]
    for i, status in enumerate(["completed", "completed", "failed"]):
        runs.record(id=f"r{i}", user_id=owner, thread_id="t", agent_name="echo", status=status)
    assert runs.count_by_status() == {"completed": 2, "failed": 1}
    assert [r.id for r in runs.list_for_user(owner)] == ["r0", "r1", "r2"]
    assert runs.list_for_user(owner, thread_id="other") == []


def test_foreign_keys_are_enforced(isolated_db_session):
    RunRepository(isolated_db_session).session.add(
        AgentRun(id="orphan", user_id="nobody", thread_id="t", agent_name="echo")
    )
    with pytest.raises(IntegrityError):
        isolated_db_session.flush()


def test_relationship_loading(isolated_db_session, seeded_users):
    owner = seeded_users[1]["id"]
    RunRepository(isolated_db_session).record(id="rel", user_id=owner, thread_id="t", agent_name="summarizer")
    user = isolated_db_session.scalar(select(User).where(User.id == owner))
    assert [run.id for run in user.runs] == ["rel"]


def test_sqlite_file_engine(sqlite_engine, sqlite_db_path):
    assert sqlite_db_path.exists()
    with sqlite_engine.connect() as conn:
        tables = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert {"users", "agent_runs"} <= tables


def test_app_database_is_separate_per_test(db_sessionmaker, test_user):
    with db_sessionmaker() as session:
        assert UserRepository(session).count() == 1


@pytest.mark.phase0
def test_phase0_environment_variables(phase0_test_environment):
    assert os.environ["SUPERVISOR_PHASE"] == "0"
    assert os.environ["SUPERVISOR_STRICT_CONTEXT"] == "1"
    assert phase0_test_environment.settings.database_url.endswith("phase0.sqlite3")
    assert phase0_test_environment.flags["strict_context"] is True


@pytest.mark.phase0
def test_phase0_workspace_is_shared(phase0_test_environment, tmp_path_factory):
    workspace = phase0_test_environment.workspace
    assert workspace.is_dir()
    assert workspace.parent == tmp_path_factory.getbasetemp()
    assert phase0_test_environment.registry is not None
