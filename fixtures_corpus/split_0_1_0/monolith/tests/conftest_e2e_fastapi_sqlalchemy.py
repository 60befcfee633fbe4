"""End-to-end fixtures: servers, load clients, environment checks (the part that imports fastapi, sqlalchemy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from typing import TYPE_CHECKING
from unittest.mock import MagicMock
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import sessionmaker
from supervisor_service.app import create_app
from supervisor_service.config import Settings
from supervisor_service.websocket_manager import WebSocketManager

if TYPE_CHECKING:
    from collections.abc import Iterator


# =============================================================================
# 11. Application & HTTP clients
# =============================================================================


@pytest.fixture
def app(
    test_settings: Settings,
    mock_redis_client: MagicMock,
    mock_clickhouse_client: MagicMock,
    db_sessionmaker: sessionmaker,
    websocket_manager: WebSocketManager,
) -> Iterator[FastAPI]:
    application = create_app(
        test_settings,
        redis=mock_redis_client,
        clickhouse=mock_clickhouse_client,
        db_sessionmaker=db_sessionmaker,
        websocket_manager=websocket_manager,
    )
    yield application
    application.dependency_overrides.clear()
