"""Mock-based fixtures: fake clients and managers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from typing import TYPE_CHECKING, Any
from unittest.mock import AsyncMock, MagicMock, Mock, patch
import pytest

from supervisor_service import UserExecutionContext
from supervisor_service.agents import AgentFactory, Supervisor
from supervisor_service.websocket_manager import WebSocketManager

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def mock_websocket_manager() -> MagicMock:
    manager = MagicMock(spec=WebSocketManager, name="WebSocketManager")
    manager.sent = []

    async def _send_to_user(user_id: str, message: dict[str, Any]) -> int:
        manager.sent.append((user_id, message))
        return 1

    manager.connect = AsyncMock(return_value=None)
    manager.disconnect = AsyncMock(return_value=None)
    manager.send_to_user = AsyncMock(side_effect=_send_to_user)
    manager.broadcast = AsyncMock(return_value=0)
    manager.connection_count.return_value = 0
    return manager


@pytest.fixture
def factory_pattern_mocks(mock_websocket_manager: MagicMock) -> Iterator[dict[str, Any]]:
    """Patch the agent factory and run repository; hand back all the mocks.

    Supervisor code is exercised for real, but agents are AsyncMocks and no
    database is touched.
    """
    created_agents: list[Mock] = []

    def _fake_create(_self: AgentFactory, name: str) -> Mock:
        agent = Mock(name=f"agent:{name}")
        agent.name = name
        agent.run = AsyncMock(return_value={"mocked": True, "agent": name})
        created_agents.append(agent)
        return agent

    session = MagicMock(name="Session")
    session_factory = MagicMock(name="sessionmaker")
    session_factory.return_value.__enter__.return_value = session
    session_factory.return_value.__exit__.return_value = False

    # Patch the lookup, not ``agents.RunRepository``: reading that attribute (as
    # patch does, to restore it) imports SQLAlchemy, and mocks must stay cheap.
    run_repository = MagicMock(name="RunRepository")
    with (
        patch.object(AgentFactory, "create", autospec=True, side_effect=_fake_create) as create_mock,
        patch("supervisor_service.agents._run_repository", return_value=run_repository),
    ):

        def build_supervisor(context: UserExecutionContext) -> Supervisor:
            return Supervisor.for_request(
                context, websocket_manager=mock_websocket_manager, session_factory=session_factory
            )

        yield {
            "create": create_mock,
            "created_agents": created_agents,
            "run_repository": run_repository,
            "session": session,
            "session_factory": session_factory,
            "websocket_manager": mock_websocket_manager,
            "build_supervisor": build_supervisor,
        }
