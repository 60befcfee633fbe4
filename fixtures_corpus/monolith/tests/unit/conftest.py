"""Unit-test overrides.

Unit tests must never touch a database or the network, so the shared
``sample_data`` is extended here with unit-only bits and a bare supervisor
(echo agent only, no websocket manager, no persistence) is provided.
"""

from __future__ import annotations

from typing import Any

import pytest

from supervisor_service.agents import AgentFactory, EchoAgent, Supervisor
from supervisor_service.context import UserExecutionContext


@pytest.fixture
def sample_data(sample_data: dict[str, Any]) -> dict[str, Any]:
    """Override of tests/conftest.py::sample_data (extends the parent)."""
    data = dict(sample_data)
    data["messages"] = [*sample_data["messages"], "unit-only: ping"]
    data["layer"] = "unit"
    return data


@pytest.fixture
def bare_supervisor(valid_user_execution_context: UserExecutionContext) -> Supervisor:
    factory = AgentFactory()
    factory.registry = {"echo": EchoAgent}  # instance attribute: class registry untouched
    return Supervisor(valid_user_execution_context, agent_factory=factory, max_concurrent=1)
