"""Fixtures from an installed package, registered by this conftest, beside a heavy one."""

import pytest
import sqlalchemy
from anyio.pytest_plugin import free_tcp_port_factory, free_udp_port_factory  # noqa: F401
from anyio.pytest_plugin import free_udp_port as udp_port  # noqa: F401


@pytest.fixture(scope="session")
def engine():
    engine = sqlalchemy.create_engine("sqlite://")
    yield engine
    engine.dispose()


@pytest.fixture
def answer():
    return 42
