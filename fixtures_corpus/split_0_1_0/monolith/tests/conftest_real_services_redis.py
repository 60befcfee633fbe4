"""Fixtures that connect to real services (the part that imports redis).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from typing import TYPE_CHECKING
import pytest
import redis
import redis.exceptions

if TYPE_CHECKING:
    from collections.abc import Iterator

from .conftest_base import REAL_SERVICE_CONNECT_TIMEOUT

from .conftest_real_services import RealServiceEndpoints


@pytest.fixture
def real_redis(real_services_session: RealServiceEndpoints, package_namespace: str) -> Iterator[redis.Redis]:
    url = real_services_session.require("redis")
    client = redis.Redis.from_url(url, socket_connect_timeout=REAL_SERVICE_CONNECT_TIMEOUT, socket_timeout=1.0)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        client.close()
        pytest.skip(f"cannot connect to Redis at {url}: {exc}")
    client.key_prefix = package_namespace
    yield client
    for key in client.scan_iter(f"{package_namespace}*"):
        client.delete(key)
    client.close()
