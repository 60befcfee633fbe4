"""Fixtures that connect to real services.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
import pytest
from supervisor_service.clickhouse import ClickHouseClient

if TYPE_CHECKING:
    from collections.abc import Iterator

from .conftest_base import (
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
def real_services_session(real_services_enabled: bool, real_service_urls: dict[str, str]) -> RealServiceEndpoints:
    """Probe every configured service once per session; skip when none answer."""
    available = {}
    for name, url in real_service_urls.items():
        try:
            available[name] = is_port_open(*parse_host_port(url))
        except ValueError:
            available[name] = False
    if not any(available.values()):
        pytest.skip(f"no real services reachable: {real_service_urls}")
    endpoints = RealServiceEndpoints(urls=dict(real_service_urls), available=available, requested=real_services_enabled)
    logger.info("real services: %s", available)
    return endpoints


@pytest.fixture
def real_clickhouse(real_services_session: RealServiceEndpoints) -> Iterator[ClickHouseClient]:
    url = real_services_session.require("clickhouse")
    ch = ClickHouseClient(url, timeout=1.0)
    if not ch.ping():
        ch.close()
        pytest.skip(f"ClickHouse at {url} did not answer /ping")
    yield ch
    ch.close()
