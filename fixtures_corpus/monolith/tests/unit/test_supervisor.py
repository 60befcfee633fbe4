"""Supervisor behaviour with mocked collaborators."""

from __future__ import annotations

import asyncio

import pytest

from supervisor_service.agents import AgentNotFoundError, Supervisor
from tests.conftest import build_context


async def test_run_emits_start_and_completion(request_scoped_supervisor, mock_websocket_manager):
    result = await request_scoped_supervisor.run("echo", {"input": "hi"})
    assert result.status == "completed"
    assert result.output["echo"] == "hi"
    events = [message["event"] for _, message in mock_websocket_manager.sent]
    assert events == ["agent_started", "agent_completed"]
    user_ids = {user_id for user_id, _ in mock_websocket_manager.sent}
    assert user_ids == {request_scoped_supervisor.context.user_id}


async def test_failures_are_reported_not_raised(request_scoped_supervisor, mock_websocket_manager):
    result = await request_scoped_supervisor.run("failing", {"reason": "boom"})
    assert result.status == "failed"
    assert result.error == "boom"
    assert mock_websocket_manager.sent[-1][1]["event"] == "agent_failed"


async def test_unknown_agent_raises(request_scoped_supervisor):
    with pytest.raises(AgentNotFoundError):
        await request_scoped_supervisor.run("nope", {})
    assert request_scoped_supervisor.results == []


async def test_run_ids_are_unique_under_concurrency(request_scoped_supervisor):
    results = await request_scoped_supervisor.run_many("echo", [{"input": str(i)} for i in range(10)])
    assert len({r.run_id for r in results}) == 10
    assert [r.output["echo"] for r in results] == [str(i) for i in range(10)]


async def test_concurrency_is_bounded(request_scoped_supervisor, supervisor_settings):
    running = 0
    peak = 0

    class SlowAgent:
        name = "slow"

        async def run(self, context, payload):
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.005)
            running -= 1
            return {}

    request_scoped_supervisor.agent_factory.registry = {"slow": SlowAgent}
    await request_scoped_supervisor.run_many("slow", [{}] * 6)
    assert peak == supervisor_settings.max_concurrent_runs


async def test_explicit_run_id_uses_child_context(request_scoped_supervisor):
    result = await request_scoped_supervisor.run("echo", {"input": "x"}, run_id="run_explicit")
    assert result.run_id == "run_explicit"
    assert result.thread_id == request_scoped_supervisor.context.thread_id


async def test_shutdown_blocks_new_runs(request_scoped_supervisor):
    await request_scoped_supervisor.shutdown()
    with pytest.raises(RuntimeError, match="shut down"):
        await request_scoped_supervisor.run("echo", {})


async def test_bare_supervisor_only_knows_echo(bare_supervisor):
    assert (await bare_supervisor.run("echo", {"input": "a"})).status == "completed"
    with pytest.raises(AgentNotFoundError):
        await bare_supervisor.run("summarizer", {})


@pytest.mark.usefixtures("factory_pattern_mocks")
class TestFactoryPatternSupervisor:
    """Supervisor wiring with the agent factory and repository patched out."""

    async def test_agents_come_from_patched_factory(self, factory_pattern_mocks):
        supervisor = factory_pattern_mocks["build_supervisor"](build_context())
        result = await supervisor.run("anything", {"input": "x"})
        assert result.output == {"mocked": True, "agent": "anything"}
        factory_pattern_mocks["create"].assert_called_once()
        agent = factory_pattern_mocks["created_agents"][0]
        agent.run.assert_awaited_once_with(supervisor.context, {"input": "x"})

    async def test_results_are_persisted_through_repository(self, factory_pattern_mocks):
        supervisor = factory_pattern_mocks["build_supervisor"](build_context())
        result = await supervisor.run("echo", {"input": "persist me"})
        repo_cls = factory_pattern_mocks["run_repository"]
        repo_cls.assert_called_once_with(factory_pattern_mocks["session"])
        kwargs = repo_cls.return_value.record.call_args.kwargs
        assert kwargs["id"] == result.run_id
        assert kwargs["input_text"] == "persist me"
        factory_pattern_mocks["session"].commit.assert_called_once()

    async def test_events_go_to_websocket_mock(self, factory_pattern_mocks):
        context = build_context()
        supervisor = factory_pattern_mocks["build_supervisor"](context)
        await supervisor.run("echo", {})
        ws = factory_pattern_mocks["websocket_manager"]
        assert ws.send_to_user.await_count == 2
        user_id, message = ws.send_to_user.await_args.args
        assert user_id == context.user_id
        assert message["event"] == "agent_completed"
