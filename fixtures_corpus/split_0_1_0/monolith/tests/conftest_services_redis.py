"""Service fixtures: database sessions, managers, the app and its client (the part that imports redis).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from typing import TYPE_CHECKING
from unittest.mock import MagicMock
import pytest
import redis
import redis.asyncio
import redis.exceptions

if TYPE_CHECKING:
    from collections.abc import Iterator

from .conftest_base import InMemoryRedisBackend, REAL_SERVICE_CONNECT_TIMEOUT


@pytest.fixture
def mock_redis_client(redis_backend: InMemoryRedisBackend) -> Iterator[MagicMock]:
    """``redis.Redis`` look-alike: a spec'd MagicMock backed by a dict.

    Calls are recorded (assert_called_with works) *and* behave like Redis.
    """
    client = MagicMock(spec=redis.Redis, name="redis.Redis")
    client.get.side_effect = redis_backend.get
    client.set.side_effect = redis_backend.set
    client.expire.side_effect = redis_backend.expire
    client.ttl.side_effect = redis_backend.ttl
    client.delete.side_effect = redis_backend.delete
    client.publish.side_effect = redis_backend.publish
    client.ping.return_value = True
    client.backend = redis_backend
    yield client
    redis_backend.clear()


async def _async_redis_ping(url: str) -> bool:
    """Used by the real-service smoke tests to check redis.asyncio as well."""
    client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=REAL_SERVICE_CONNECT_TIMEOUT)
    try:
        return bool(await client.ping())
    except redis.exceptions.RedisError:
        return False
    finally:
        await client.aclose()
