"""The shared helpers in tests/conftest.py are code too; test them.

Only the pure-Python helpers are tested here.  Helpers that use psutil,
numpy, pandas or SQLAlchemy are tested in
tests/integration/test_conftest_heavy_helpers.py.
"""

from __future__ import annotations

import asyncio
import os
import socket

import pytest

from tests.conftest import (
    LOOPBACK_HOST,
    TEST_RESOURCE_REGISTRY,
    FakeClock,
    InMemoryRedisBackend,
    assert_json_subset,
    is_port_open,
    next_test_id,
    parse_host_port,
    register_resource,
    registry_counts,
)


def test_next_test_id_is_monotonic():
    first, second = next_test_id("x"), next_test_id("x")
    assert first.startswith("x_") and int(second[2:]) == int(first[2:]) + 1


def test_registry_helpers():
    before = registry_counts()["servers"]
    register_resource("servers", "ws://unit-test")
    assert registry_counts()["servers"] == before + 1
    TEST_RESOURCE_REGISTRY["servers"].remove("ws://unit-test")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://cache:6380/0", ("cache", 6380)),
        ("redis://127.0.0.1/15", ("127.0.0.1", 6379)),
        ("postgresql+psycopg://u:p@db/app", ("db", 5432)),
        ("http://clickhouse:8123", ("clickhouse", 8123)),
        ("https://secure.example", ("secure.example", 443)),
    ],
    ids=["redis-port", "redis-default", "pg-driver", "clickhouse", "https"],
)
def test_parse_host_port(url, expected):
    assert parse_host_port(url) == expected


def test_parse_host_port_requires_host():
    with pytest.raises(ValueError):
        parse_host_port("sqlite:///:memory:")


def test_is_port_open_on_closed_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK_HOST, 0))
        port = sock.getsockname()[1]
    # Nothing listens there any more (bound, never listened, closed).
    # __wrapped__ bypasses the lru_cache: ephemeral ports get reused.
    assert is_port_open.__wrapped__(LOOPBACK_HOST, port, 0.2) is False


def test_is_port_open_on_listening_socket():
    with socket.socket() as sock:
        sock.bind((LOOPBACK_HOST, 0))
        sock.listen()
        assert is_port_open.__wrapped__(LOOPBACK_HOST, sock.getsockname()[1], 0.2) is True
    assert hasattr(is_port_open, "cache_info")


def test_assert_json_subset():
    assert_json_subset({"a": 1}, {"a": 1, "b": 2})
    with pytest.raises(AssertionError, match="mismatched keys"):
        assert_json_subset({"a": 2}, {"a": 1})


def test_fake_clock():
    clock = FakeClock(start=10)
    assert clock() == 10
    assert clock.advance(2.5) == 12.5


def test_in_memory_redis_backend_ttl_semantics():
    clock = FakeClock()
    backend = InMemoryRedisBackend(clock)
    backend.set("persistent", "x")
    assert backend.ttl("persistent") == -1
    assert backend.expire("missing", 5) is False
    backend.set("temp", 1, ex=3)
    clock.advance(3)
    assert backend.get("temp") is None


def test_sample_data_is_extended_by_unit_conftest(sample_data, common_test_user):
    assert sample_data["layer"] == "unit"
    assert sample_data["messages"][-1] == "unit-only: ping"
    assert sample_data["user"] == common_test_user
    assert len(sample_data["users"]) == 3


def test_common_test_user_is_shared(common_test_user):
    assert common_test_user["id"] == "user_test_0001"


def test_package_namespace(package_namespace):
    assert package_namespace.startswith("pytest:")


def test_event_loop_policy_fixture(event_loop_policy):
    assert isinstance(event_loop_policy, asyncio.AbstractEventLoopPolicy)


async def test_async_tests_run_on_policy_loop():
    loop = asyncio.get_running_loop()
    assert loop.is_running()
    assert os.environ["SUPERVISOR_ENV"] == "test"
