"""Smoke tests against real services.

Skipped unless --run-real-services (or RUN_REAL_SERVICES=1) is given or one
of POSTGRES_URL / REDIS_URL / CLICKHOUSE_URL answers.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from tests.conftest import _async_redis_ping

pytestmark = pytest.mark.real_services


def test_services_session_probe(real_services_session):
    assert any(real_services_session.available.values())
    assert set(real_services_session.urls) == {"postgres", "redis", "clickhouse"}


def test_postgres_roundtrip(real_postgres):
    assert real_postgres.execute(text("SELECT 1")).scalar_one() == 1


def test_postgres_transaction_is_rolled_back(real_postgres):
    real_postgres.execute(text("CREATE TEMP TABLE t_pytest (id int)"))
    real_postgres.execute(text("INSERT INTO t_pytest VALUES (1)"))
    assert real_postgres.execute(text("SELECT count(*) FROM t_pytest")).scalar_one() == 1


def test_redis_set_get_expire(real_redis):
    key = f"{real_redis.key_prefix}:{uuid.uuid4().hex}"
    real_redis.set(key, "v", ex=30)
    assert real_redis.get(key) == b"v"
    assert 0 < real_redis.ttl(key) <= 30


async def test_redis_asyncio_ping(real_redis, real_services_session):
    # real_redis has already proven the sync client works (or skipped).
    assert await _async_redis_ping(real_services_session.require("redis"))


def test_clickhouse_select_one(real_clickhouse):
    assert real_clickhouse.query("SELECT 1 AS one") == [{"one": 1}]
