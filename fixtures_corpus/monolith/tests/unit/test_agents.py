"""Individual agents and the AgentFactory."""

from __future__ import annotations

import pytest

from supervisor_service.agents import AgentFactory, AgentNotFoundError, ClassifierAgent, EchoAgent, SummarizerAgent
from tests.conftest import AGENT_NAMES, SAMPLE_MESSAGES


def test_factory_lists_known_agents(agent_factory):
    assert set(AGENT_NAMES) <= set(agent_factory.available())


def test_factory_creates_fresh_instances(agent_factory, agent_name):
    first, second = agent_factory.create(agent_name), agent_factory.create(agent_name)
    assert first is not second
    assert first.name == agent_name


def test_unknown_agent(agent_factory):
    with pytest.raises(AgentNotFoundError):
        agent_factory.create("does-not-exist")


async def test_every_agent_handles_every_payload(agent_factory, agent_name, payload_case, valid_user_execution_context):
    agent = agent_factory.create(agent_name)
    output = await agent.run(valid_user_execution_context, payload_case)
    assert isinstance(output, dict) and output


async def test_echo_agent_returns_input_and_user(valid_user_execution_context):
    output = await EchoAgent().run(valid_user_execution_context, {"input": "ping"})
    assert output == {"echo": "ping", "user_id": valid_user_execution_context.user_id}


async def test_summarizer_counts_words(valid_user_execution_context):
    output = await SummarizerAgent(top_n=2).run(
        valid_user_execution_context, {"input": "alpha beta alpha gamma alpha beta tiny"}
    )
    assert output == {"word_count": 7, "top_words": ["alpha", "beta"]}


async def test_summarizer_empty_input(valid_user_execution_context):
    assert await SummarizerAgent().run(valid_user_execution_context, {}) == {"word_count": 0, "top_words": []}


@pytest.mark.parametrize(
    ("message", "label"),
    list(zip(SAMPLE_MESSAGES, ["other", "billing", "outage", "feature"], strict=True)),
    ids=["summary", "billing", "outage", "feature"],
)
async def test_classifier_labels_sample_messages(valid_user_execution_context, message, label):
    output = await ClassifierAgent().run(valid_user_execution_context, {"input": message})
    assert output["label"] == label
    assert set(output["scores"]) == set(ClassifierAgent.KEYWORDS)


async def test_classifier_scores_sum_keyword_hits(valid_user_execution_context):
    output = await ClassifierAgent().run(valid_user_execution_context, {"input": "refund refund timeout"})
    assert output["scores"] == {"billing": 2, "outage": 1, "feature": 0}


def test_registry_override_is_per_instance():
    factory = AgentFactory()
    factory.registry = {"echo": EchoAgent}
    assert factory.available() == ["echo"]
    assert "summarizer" in AgentFactory().available()
