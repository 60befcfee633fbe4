"""Fixtures that connect to real services.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
import pytest
from supervisor_service.clickhouse import ClickHouseClient

try:  # psycopg is optional: only needed for --run-real-services against Postgres
    import psycopg  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the developer machine
    psycopg = None

if TYPE_CHECKING:
    from collections.abc import Iterator

    from _pytest.fixtures import SubRequest
    from websockets.sync.client import ClientConnection
    import redis
    import redis.exceptions
    import sqlalchemy as sa

from .conftest_base import (
    REAL_SERVICE_CONNECT_TIMEOUT,
    REAL_SERVICE_DEFAULTS,
    is_port_open,
    logger,
    parse_host_port,
    real_services_requested,
    service_url,
)


@dataclass
class RealServiceEndpoints:
    urls: dict[str, str]
    available: dict[str, bool] = field(default_factory=dict)
    requested: bool = False

    def require(self, name: str) -> str:
        if not self.available.get(name):
            pytest.skip(f"real {name} not reachable at {self.urls[name]}")
        return self.urls[name]


# =============================================================================
# 15. Real services (opt-in: --run-real-services or RUN_REAL_SERVICES=1)
# =============================================================================


@pytest.fixture(scope="session")
def real_services_enabled(pytestconfig: pytest.Config) -> bool:
    return real_services_requested(pytestconfig)


@pytest.fixture(scope="session")
def real_service_urls() -> dict[str, str]:
    return {name: service_url(name) for name in REAL_SERVICE_DEFAULTS}


@pytest.fixture(scope="session")
def real_services_session(
    real_services_enabled: bool, real_service_urls: dict[str, str]
) -> RealServiceEndpoints:
    """Probe every configured service once per session; skip when none answer."""
    available = {}
    for name, url in real_service_urls.items():
        try:
            available[name] = is_port_open(*parse_host_port(url))
        except ValueError:
            available[name] = False
    if not any(available.values()):
        pytest.skip(f"no real services reachable: {real_service_urls}")
    endpoints = RealServiceEndpoints(
        urls=dict(real_service_urls),
        available=available,
        requested=real_services_enabled,
    )
    logger.info("real services: %s", available)
    return endpoints


@pytest.fixture
def real_postgres(
    real_services_session: RealServiceEndpoints,
) -> Iterator[sa.Connection]:
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    if psycopg is None:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    url = real_services_session.require("postgres")
    driver_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(
        driver_url, connect_args={"connect_timeout": 1}, poolclass=NullPool
    )
    try:
        connection = engine.connect()
    except sa.exc.OperationalError as exc:
        engine.dispose()
        pytest.skip(f"cannot connect to Postgres at {url}: {exc}")
    transaction = connection.begin()
    yield connection
    transaction.rollback()
    connection.close()
    engine.dispose()


@pytest.fixture
def real_redis(
    real_services_session: RealServiceEndpoints, package_namespace: str
) -> Iterator[redis.Redis]:
    import redis
    import redis.exceptions

    url = real_services_session.require("redis")
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REAL_SERVICE_CONNECT_TIMEOUT, socket_timeout=1.0
    )
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


@pytest.fixture
def real_clickhouse(
    real_services_session: RealServiceEndpoints,
) -> Iterator[ClickHouseClient]:
    url = real_services_session.require("clickhouse")
    ch = ClickHouseClient(url, timeout=1.0)
    if not ch.ping():
        ch.close()
        pytest.skip(f"ClickHouse at {url} did not answer /ping")
    yield ch
    ch.close()


@pytest.fixture
def real_websocket_client(request: SubRequest) -> Iterator[ClientConnection]:
    """Connect to REAL_WEBSOCKET_URL, or to the e2e loopback server if unset."""
    import websockets.exceptions
    from websockets.sync.client import connect as ws_connect

    url = os.environ.get("REAL_WEBSOCKET_URL")
    if not url:
        url = request.getfixturevalue("high_volume_server").url
    try:
        connection = ws_connect(
            url, open_timeout=1.0, close_timeout=1, proxy=None, compression=None
        )
    except (OSError, TimeoutError, websockets.exceptions.InvalidHandshake) as exc:
        pytest.skip(f"websocket endpoint {url} not reachable: {exc}")
    with connection:  # websockets>=17.1 wants connections used as context managers
        yield connection
