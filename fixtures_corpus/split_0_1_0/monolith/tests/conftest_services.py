"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from typing import TYPE_CHECKING, Any
from unittest.mock import MagicMock
import pytest
from supervisor_service.cache import RedisCache, RedisSessionManager
from supervisor_service.config import Settings

if TYPE_CHECKING:
    from collections.abc import Callable


@pytest.fixture
def mock_redis_manager(mock_redis_client: MagicMock, test_settings: Settings) -> MagicMock:
    """Spy around a real RedisSessionManager using the mock client."""
    real = RedisSessionManager(mock_redis_client, ttl_seconds=test_settings.session_ttl_seconds)
    spy = MagicMock(spec=RedisSessionManager, wraps=real, name="RedisSessionManager")
    spy.ttl_seconds = real.ttl_seconds
    spy.client = mock_redis_client
    spy.wrapped = real
    return spy


@pytest.fixture
def redis_cache(mock_redis_client: MagicMock) -> RedisCache:
    return RedisCache(mock_redis_client, prefix="test-cache", default_ttl=30)


@pytest.fixture
def auth_headers(test_user: dict[str, Any], auth_token_factory: Callable[..., str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth_token_factory(test_user['id'])}"}


@pytest.fixture
def auth_headers_v2(test_user_v2: dict[str, Any], auth_token_factory: Callable[..., str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth_token_factory(test_user_v2['id'])}", "X-API-Version": "2"}
