"""Supervisor + database + websocket manager, wired for real."""

from __future__ import annotations

import asyncio

import pytest

from supervisor_service.db import RunRepository, UserRepository
from supervisor_service.analytics import runs_to_frame
from tests.conftest import RecordingWebSocket, build_context


@pytest.fixture
def registered_contexts(concurrent_user_contexts, db_sessionmaker, user_factory):
    """Persist a user row for every concurrent context (FK on agent_runs)."""
    with db_sessionmaker() as session:
        for ctx in concurrent_user_contexts:
            user_factory.persist(session, user_factory.build(ctx.user_id))
        session.commit()
    return concurrent_user_contexts


async def test_runs_are_persisted(persistent_supervisor_factory, db_sessionmaker, test_user):
    supervisor = persistent_supervisor_factory(build_context(test_user["id"]))
    result = await supervisor.run("summarizer", {"input": "persist this summary please"})
    with db_sessionmaker() as session:
        runs = RunRepository(session).list_for_user(test_user["id"])
    assert [run.id for run in runs] == [result.run_id]
    assert runs[0].input_text == "persist this summary please"


async def test_concurrent_users_are_isolated(persistent_supervisor_factory, registered_contexts, db_sessionmaker):
    supervisors = [persistent_supervisor_factory(ctx) for ctx in registered_contexts]
    await asyncio.gather(*(s.run_many("echo", [{"input": s.context.user_id}] * 3) for s in supervisors))
    with db_sessionmaker() as session:
        repo = RunRepository(session)
        for ctx in registered_contexts:
            runs = repo.list_for_user(ctx.user_id)
            assert len(runs) == 3
            assert {run.thread_id for run in runs} == {ctx.thread_id}


async def test_events_reach_connected_websockets(persistent_supervisor_factory, websocket_manager, test_user):
    socket = RecordingWebSocket("browser")
    await websocket_manager.connect(test_user["id"], socket)
    supervisor = persistent_supervisor_factory(build_context(test_user["id"]))
    await supervisor.run("classifier", {"input": "the site is down"})
    assert [m["event"] for m in socket.sent] == ["agent_started", "agent_completed"]


async def test_summary_of_supervisor_results(persistent_supervisor_factory, test_user):
    supervisor = persistent_supervisor_factory(build_context(test_user["id"]))
    results = [await supervisor.run(name, {"input": "x"}) for name in ("echo", "failing", "echo")]
    frame = runs_to_frame([r.to_dict() for r in results])
    assert frame["status"].value_counts().to_dict() == {"completed": 2, "failed": 1}


async def test_session_memory_alongside_supervisor(
    request_scoped_supervisor, session_memory_manager, memory_optimization_service
):
    thread = request_scoped_supervisor.context.thread_id
    for text in ("first", "second", "third"):
        result = await request_scoped_supervisor.run("echo", {"input": text})
        session_memory_manager.add(thread, result.output["echo"])
    assert session_memory_manager.get(thread) == ["first", "second", "third"]
    report = memory_optimization_service.optimize(force=True)
    assert report.entries_freed == 1
    assert session_memory_manager.get(thread) == []


def test_users_visible_through_repository(db_sessionmaker, test_user, test_user_v2):
    with db_sessionmaker() as session:
        ids = [u.id for u in UserRepository(session).list()]
    assert ids == sorted([test_user["id"], test_user_v2["id"]])
