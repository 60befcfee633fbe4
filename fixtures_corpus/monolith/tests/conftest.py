"""Shared pytest fixtures for the supervisor-service test-suite.

This file is imported by *every* test under ``tests/`` (unit, integration and
e2e).  It grew organically; please keep the numbered section banners intact
so that people can find things (grep for "# 9. Database").

History
-------
* 2023-03  initial fixtures for the v1 API (test_user, auth_headers, client)
* 2023-07  ClickHouse analytics + mock client
* 2023-11  "phase 0" isolation work: UserExecutionContext everywhere,
           request scoped supervisor, database_session_isolation
* 2024-02  v2 users (test_user_v2 / auth_headers_v2)
* 2024-06  e2e throughput tests against a loopback websocket server
* 2024-10  real service fixtures (Postgres / Redis / ClickHouse), opt-in
* 2025-01  pytest-asyncio 1.x migration (event_loop fixture removed)
"""

from __future__ import annotations

# =============================================================================
# 1. Imports & optional dependencies
# =============================================================================

import asyncio
import contextlib
import functools
import itertools
import json
import logging
import os
import re
import socket
import sys
import threading
import time
import uuid
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from unittest.mock import AsyncMock, MagicMock, Mock, patch
from urllib.parse import urlsplit

import httpx
import numpy as np
import numpy.random
import pandas as pd
import pandas.testing as pdt
import psutil
import pytest
import pytest_asyncio
import redis
import redis.asyncio
import redis.exceptions
import sqlalchemy as sa
import websockets
import websockets.asyncio.server
import websockets.exceptions
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool
from websockets.sync.client import connect as ws_connect

with warnings.catch_warnings():
    # starlette>=1.0 warns on import when it falls back to httpx instead of
    # httpx2.  We stay on httpx until PLAT-2231 (client migration) lands.
    warnings.filterwarnings("ignore", message=r".*install `httpx2` instead.*")
    from fastapi.testclient import TestClient

from supervisor_service import UserExecutionContext, __version__
from supervisor_service.agents import AgentFactory, Supervisor
from supervisor_service.analytics import runs_to_frame
from supervisor_service.app import create_app
from supervisor_service.auth import create_token
from supervisor_service.cache import RedisCache, RedisSessionManager
from supervisor_service.clickhouse import ClickHouseClient
from supervisor_service.config import Settings
from supervisor_service.db import UserRepository, create_db_engine, create_session_factory, init_db
from supervisor_service.memory import MemoryOptimizationService, SessionMemoryManager
from supervisor_service.websocket_manager import WebSocketManager

try:  # psycopg is optional: only needed for --run-real-services against Postgres
    import psycopg  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the developer machine
    psycopg = None

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from _pytest.fixtures import SubRequest
    from websockets.sync.client import ClientConnection


# =============================================================================
# 2. Environment side effects / logging
# =============================================================================
# These run at import time on purpose: the app reads its settings from the
# environment and some modules cache them on first import.

TEST_SECRET_KEY = "test-secret-key-not-for-production"

os.environ.setdefault("SUPERVISOR_ENV", "test")
os.environ.setdefault("SUPERVISOR_SECRET_KEY", TEST_SECRET_KEY)
os.environ.setdefault("DATABASE_URL", "sqlite+pysqlite:///:memory:")
os.environ.setdefault("SESSION_TTL_SECONDS", "900")
os.environ.setdefault("MAX_CONCURRENT_RUNS", "4")
os.environ.setdefault("MEMORY_SOFT_LIMIT_MB", "4096")

LOG_FORMAT = "%(asctime)s %(levelname)-7s [%(name)s] %(message)s"
logging.basicConfig(level=os.environ.get("TEST_LOG_LEVEL", "WARNING"), format=LOG_FORMAT)
logger = logging.getLogger("tests.conftest")


# =============================================================================
# 3. Constants, shared registry, counters
# =============================================================================

DEFAULT_TEST_USER_ID = "user_test_0001"
DEFAULT_TEST_EMAIL = "test.user@example.com"
SECONDARY_TEST_USER_ID = "user_test_0002"
SECONDARY_TEST_EMAIL = "second.user@example.com"

LOOPBACK_HOST = "127.0.0.1"
REAL_SERVICE_CONNECT_TIMEOUT = 0.5  # seconds; keep tiny, CI has no services
DEFAULT_E2E_USERS = 4
MAX_E2E_USERS = 32
THROUGHPUT_MESSAGES = 200
MAX_BURST_MESSAGES = 5_000

AGENT_NAMES = ("echo", "summarizer", "classifier")
USER_ROLES = ("member", "admin", "viewer")

SAMPLE_MESSAGES = (
    "Hello, can you summarise yesterday's incident report?",
    "I was charged twice, please refund the second invoice.",
    "The dashboard has been down since 9am, every request times out.",
    "Feature request: I wish exports supported parquet.",
)

# Budgets are generous on purpose: they catch order-of-magnitude regressions,
# not noise.  Scale with PERF_BUDGET_SCALE on slow CI runners.
PERFORMANCE_BUDGETS_MS = {"health": 250.0, "agent_run": 500.0, "ws_roundtrip": 250.0, "burst": 2_000.0}

REAL_SERVICE_DEFAULTS = {
    "postgres": "postgresql://postgres:postgres@127.0.0.1:5432/postgres",
    "redis": "redis://127.0.0.1:6379/15",
    "clickhouse": "http://127.0.0.1:8123",
}
REAL_SERVICE_ENV_VARS = {"postgres": "POSTGRES_URL", "redis": "REDIS_URL", "clickhouse": "CLICKHOUSE_URL"}
DEFAULT_PORTS = {"postgresql": 5432, "postgres": 5432, "redis": 6379, "http": 80, "https": 443, "ws": 80}

# Directory name under tests/ -> marker applied automatically.
DIRECTORY_MARKERS = {"unit": "unit", "integration": "integration", "e2e": "e2e"}

# Markers registered from pytest_configure (the rest live in pyproject.toml).
CUSTOM_MARKERS = {
    "phase0": "tests of the phase 0 isolation guarantees",
    "memory": "tests that inspect process memory (psutil)",
    "websocket": "tests that open websocket connections",
}

# Shared, process-wide registry of things fixtures created.  Used for
# diagnostics in pytest_sessionfinish and by a few leak checks.
TEST_RESOURCE_REGISTRY: dict[str, list[Any]] = {
    kind: [] for kind in ("users", "contexts", "supervisors", "servers", "performance")
}

# Monotonic id counter shared by id_factory, UserFactory and the e2e users.
_ID_COUNTER = itertools.count(1)

_SESSION_START_KEY = pytest.StashKey[float]()


# =============================================================================
# 4. Helper functions
# =============================================================================


def next_test_id(prefix: str = "id") -> str:
    """Return a unique, human readable id such as ``user_00042``."""
    return f"{prefix}_{next(_ID_COUNTER):05d}"


def register_resource(kind: str, resource: Any) -> Any:
    TEST_RESOURCE_REGISTRY.setdefault(kind, []).append(resource)
    return resource


def registry_counts() -> dict[str, int]:
    return {kind: len(items) for kind, items in TEST_RESOURCE_REGISTRY.items()}


def make_auth_token(user_id: str, secret: str = TEST_SECRET_KEY) -> str:
    return create_token(user_id, secret)


def bearer_headers(user_id: str, secret: str = TEST_SECRET_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_auth_token(user_id, secret)}"}


def parse_host_port(url: str) -> tuple[str, int]:
    """``redis://h:1234/0`` -> ``("h", 1234)``; falls back to scheme defaults."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"URL has no host: {url!r}")
    return parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme.split("+")[0], 80)


def service_url(name: str) -> str:
    return os.environ.get(REAL_SERVICE_ENV_VARS[name], REAL_SERVICE_DEFAULTS[name])


@functools.lru_cache(maxsize=64)
def is_port_open(host: str, port: int, timeout: float = REAL_SERVICE_CONNECT_TIMEOUT) -> bool:
    """TCP probe, cached for the whole session (services don't come and go)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def any_real_service_reachable() -> bool:
    return any(is_port_open(*parse_host_port(service_url(name))) for name in REAL_SERVICE_DEFAULTS)


def real_services_requested(config: pytest.Config) -> bool:
    flag = config.getoption("--run-real-services", default=False)
    return bool(flag) or os.environ.get("RUN_REAL_SERVICES", "").lower() in {"1", "true", "yes"}


@functools.lru_cache(maxsize=4)
def reference_runs(seed: int = 1234, count: int = 240) -> tuple[dict[str, Any], ...]:
    """Deterministic synthetic agent runs used by analytics tests.

    Cached because several module-scoped fixtures build frames from it.
    """
    rng = np.random.default_rng(seed)
    agents = rng.choice(AGENT_NAMES, size=count)
    durations = np.round(rng.gamma(shape=2.0, scale=15.0, size=count), 3)
    failed = rng.random(count) < 0.1
    users = rng.integers(1, 6, size=count)
    return tuple(
        {
            "run_id": f"run_{i:04d}",
            "user_id": f"user_{users[i]:02d}",
            "agent_name": str(agents[i]),
            "status": "failed" if failed[i] else "completed",
            "duration_ms": float(durations[i]),
        }
        for i in range(count)
    )


def assert_json_subset(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Assert every key of ``expected`` is in ``actual`` with an equal value."""
    missing = {k: v for k, v in expected.items() if k not in actual or actual[k] != v}
    assert not missing, f"mismatched keys {sorted(missing)}: expected {missing}, got {actual}"


def persist_user(factory: sessionmaker, users: UserFactory, data: dict[str, Any]) -> dict[str, Any]:
    """Commit ``data`` as a User row through ``factory``; returns ``data``."""
    with factory() as session:
        users.persist(session, data)
        session.commit()
    return data


def build_context(user_id: str | None = None, **metadata: Any) -> UserExecutionContext:
    context = UserExecutionContext.create(
        user_id or next_test_id("user"),
        thread_id=next_test_id("thread"),
        run_id=next_test_id("run"),
        request_id=next_test_id("req"),
        **metadata,
    )
    return register_resource("contexts", context)


# =============================================================================
# 5. Helper classes
# =============================================================================


class FakeClock:
    """Manually advanced clock; callable like ``time.monotonic``."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


class UserFactory:
    """Builds user payloads (and optionally persists them)."""

    def __init__(self, *, domain: str = "example.com", default_role: str = "member") -> None:
        self.domain = domain
        self.default_role = default_role
        self.created: list[dict[str, Any]] = []

    def build(self, user_id: str | None = None, **overrides: Any) -> dict[str, Any]:
        user_id = user_id or next_test_id("user")
        data = {
            "id": user_id,
            "email": f"{user_id}@{self.domain}",
            "display_name": user_id.replace("_", " ").title(),
            "role": self.default_role,
        }
        data.update(overrides)
        self.created.append(data)
        register_resource("users", data["id"])
        return data

    def build_batch(self, count: int, **overrides: Any) -> list[dict[str, Any]]:
        return [self.build(**overrides) for _ in range(count)]

    def persist(self, session: Session, data: dict[str, Any]) -> Any:
        return UserRepository(session).create(data["id"], data["email"], data["display_name"], data["role"])


class InMemoryRedisBackend:
    """Just enough of Redis semantics (strings, TTL, pub/sub counts) for mocks."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.data: dict[str, bytes] = {}
        self.expiry: dict[str, float] = {}
        self.published: list[tuple[str, str]] = []
        self.subscribers: dict[str, int] = defaultdict(int)

    def _expire_stale(self, key: str) -> None:
        deadline = self.expiry.get(key)
        if deadline is not None and self.clock() >= deadline:
            self.data.pop(key, None)
            self.expiry.pop(key, None)

    def get(self, key: str) -> bytes | None:
        self._expire_stale(key)
        return self.data.get(key)

    def set(self, key: str, value: Any, ex: int | None = None, **_: Any) -> bool:
        self.data[key] = value if isinstance(value, bytes) else str(value).encode()
        self.expiry.pop(key, None)
        if ex is not None:
            self.expiry[key] = self.clock() + ex
        return True

    def expire(self, key: str, seconds: int) -> bool:
        self._expire_stale(key)
        if key not in self.data:
            return False
        self.expiry[key] = self.clock() + seconds
        return True

    def ttl(self, key: str) -> int:
        self._expire_stale(key)
        if key not in self.data:
            return -2
        if key not in self.expiry:
            return -1
        return int(round(self.expiry[key] - self.clock()))

    def delete(self, *keys: str) -> int:
        removed = 0
        for key in keys:
            self._expire_stale(key)
            removed += self.data.pop(key, None) is not None
            self.expiry.pop(key, None)
        return removed

    def publish(self, channel: str, message: str) -> int:
        self.published.append((channel, message))
        return self.subscribers[channel]

    def clear(self) -> None:
        self.data.clear()
        self.expiry.clear()
        self.published.clear()


class FakeClickHouseServer:
    """An ``httpx.MockTransport`` handler speaking a tiny subset of ClickHouse HTTP."""

    _INSERT = re.compile(r"^INSERT INTO (\w+) FORMAT JSONEachRow$", re.I)
    _SELECT = re.compile(
        r"^SELECT (?P<cols>.+?) FROM (?P<table>\w+)"
        r"(?: WHERE (?P<col>\w+) = '(?P<value>[^']*)')?"
        r" FORMAT JSONEachRow$",
        re.I | re.S,
    )

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.queries: list[str] = []
        self.fail_next: str | None = None

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/ping":
            return httpx.Response(200, text="Ok.\n")
        query = request.url.params.get("query", "").strip()
        self.queries.append(query)
        if self.fail_next is not None:
            message, self.fail_next = self.fail_next, None
            return httpx.Response(500, text=message)
        if match := self._INSERT.match(query):
            body = request.content.decode()
            rows = [json.loads(line) for line in body.splitlines() if line.strip()]
            self.tables[match[1]].extend(rows)
            return httpx.Response(200, text="")
        if match := self._SELECT.match(query):
            rows = self.tables.get(match["table"], [])
            if match["col"]:
                rows = [row for row in rows if str(row.get(match["col"])) == match["value"]]
            columns = [c.strip() for c in match["cols"].split(",")]
            if columns == ["count()"]:
                rows = [{"count()": len(rows)}]
            elif columns != ["*"]:
                rows = [{c: row.get(c) for c in columns} for row in rows]
            return httpx.Response(200, text="".join(json.dumps(row) + "\n" for row in rows))
        return httpx.Response(400, text="Code: 62. DB::Exception: Syntax error (fake server)")


class RecordingWebSocket:
    """Duck-typed stand-in for ``starlette.websockets.WebSocket``."""

    def __init__(self, name: str = "ws", *, fail_on_send: bool = False) -> None:
        self.name = name
        self.accepted = False
        self.fail_on_send = fail_on_send
        self.sent: list[dict[str, Any]] = []

    async def accept(self) -> None:
        self.accepted = True

    async def send_json(self, data: Any) -> None:
        if self.fail_on_send:
            raise ConnectionError(f"{self.name} is closed")
        self.sent.append(data)


class PerformanceMonitor:
    """Collects wall-clock samples per label and checks them against budgets."""

    def __init__(self, name: str, budgets: dict[str, float] | None = None) -> None:
        self.name = name
        self.budgets = dict(budgets or {})
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.process = psutil.Process()
        self.rss_start_mb = self.process.memory_info().rss / 2**20

    @contextlib.contextmanager
    def measure(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.record(label, (time.perf_counter() - started) * 1000)

    def record(self, label: str, duration_ms: float) -> None:
        self.samples[label].append(duration_ms)

    def percentile(self, label: str, pct: float) -> float:
        values = self.samples.get(label)
        if not values:
            raise KeyError(f"no samples for {label!r}")
        return float(np.percentile(np.asarray(values), pct))

    def summary(self) -> pd.DataFrame:
        rows = [
            (label, len(v), np.mean(v), np.percentile(v, 50), np.percentile(v, 95), np.max(v))
            for label, v in sorted(self.samples.items())
        ]
        return pd.DataFrame(rows, columns=["label", "count", "mean_ms", "p50_ms", "p95_ms", "max_ms"])

    def assert_within_budget(self, label: str, pct: float = 95) -> float:
        budget = self.budgets.get(label)
        if budget is None:
            raise KeyError(f"no budget configured for {label!r}")
        observed = self.percentile(label, pct)
        assert observed <= budget, f"{label} p{pct:g}={observed:.1f}ms exceeds budget {budget:.1f}ms"
        return observed

    def rss_delta_mb(self) -> float:
        return self.process.memory_info().rss / 2**20 - self.rss_start_mb


class E2ELogger:
    """Structured step log for e2e tests; dumped when a test fails."""

    def __init__(self, test_name: str) -> None:
        self.test_name = test_name
        self.events: list[dict[str, Any]] = []
        self._started = time.perf_counter()
        self._log = logging.getLogger(f"e2e.{test_name}")

    def step(self, name: str, **data: Any) -> dict[str, Any]:
        elapsed_ms = round((time.perf_counter() - self._started) * 1000, 3)
        event = {"seq": len(self.events) + 1, "step": name, "t_ms": elapsed_ms, **data}
        self.events.append(event)
        self._log.debug("step %s %s", name, data)
        return event

    def steps(self) -> list[str]:
        return [event["step"] for event in self.events]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.events)

    def dump(self) -> str:
        return json.dumps({"test": self.test_name, "events": self.events}, indent=2, default=str)


class LoopbackWebSocketServer:
    """A ``websockets`` server on 127.0.0.1:<ephemeral> in a background thread.

    Protocol (JSON text frames):
        {"op": "echo", ...}                -> same frame back
        {"op": "burst", "count": n}        -> n frames {"seq": i}
        {"op": "broadcast", "data": x}     -> {"broadcast": x} to every client
        {"op": "stats"}                    -> counters
    """

    def __init__(self, host: str = LOOPBACK_HOST) -> None:
        self.host = host
        self.port: int | None = None
        self.stats: dict[str, int] = defaultdict(int)
        self._clients: set[Any] = set()
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    async def _handler(self, connection: Any) -> None:
        self._clients.add(connection)
        self.stats["connections"] += 1
        try:
            async for raw in connection:
                self.stats["messages_in"] += 1
                message = json.loads(raw)
                op = message.get("op", "echo")
                if op == "echo":
                    await connection.send(raw)
                    self.stats["messages_out"] += 1
                elif op == "burst":
                    count = min(int(message.get("count", 1)), MAX_BURST_MESSAGES)
                    for seq in range(count):
                        await connection.send(json.dumps({"seq": seq}))
                    self.stats["messages_out"] += count
                elif op == "broadcast":
                    frame = json.dumps({"broadcast": message.get("data")})
                    websockets.asyncio.server.broadcast(self._clients, frame)
                    self.stats["messages_out"] += len(self._clients)
                elif op == "stats":
                    await connection.send(json.dumps(dict(self.stats)))
                else:
                    await connection.send(json.dumps({"error": f"unknown op {op!r}"}))
        except websockets.exceptions.ConnectionClosed:
            pass
        finally:
            self._clients.discard(connection)

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        async with websockets.asyncio.server.serve(
            self._handler, self.host, 0, compression=None, ping_interval=None, close_timeout=1
        ) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._main())
        except BaseException as exc:  # noqa: BLE001 - surfaced by start()
            self._error = exc
            self._ready.set()
        finally:
            self._loop.close()

    def start(self, timeout: float = 5.0) -> LoopbackWebSocketServer:
        self._thread = threading.Thread(target=self._run, name="e2e-websocket-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout) or self._error is not None:
            raise RuntimeError(f"loopback websocket server failed to start: {self._error!r}")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)


class ThroughputClient:
    """Synchronous websocket client that measures round trips."""

    def __init__(self, connection: ClientConnection, monitor: PerformanceMonitor) -> None:
        self.connection = connection
        self.monitor = monitor
        self.sent = 0
        self.received = 0

    def _send(self, message: dict[str, Any]) -> None:
        self.connection.send(json.dumps(message))
        self.sent += 1

    def _recv(self, timeout: float = 2.0) -> dict[str, Any]:
        frame = json.loads(self.connection.recv(timeout=timeout))
        self.received += 1
        return frame

    def roundtrip(self, payload: dict[str, Any]) -> dict[str, Any]:
        with self.monitor.measure("ws_roundtrip"):
            self._send({"op": "echo", **payload})
            return self._recv()

    def burst(self, count: int) -> list[dict[str, Any]]:
        with self.monitor.measure("burst"):
            self._send({"op": "burst", "count": count})
            return [self._recv() for _ in range(count)]

    def echo_throughput(self, messages: int = THROUGHPUT_MESSAGES) -> float:
        """Pipelined echo: send everything, then read everything. Returns msgs/s."""
        started = time.perf_counter()
        for seq in range(messages):
            self._send({"op": "echo", "seq": seq})
        replies = [self._recv() for _ in range(messages)]
        elapsed = time.perf_counter() - started
        assert [r["seq"] for r in replies] == list(range(messages)), "echo replies out of order"
        return messages / elapsed if elapsed > 0 else float("inf")

    def stats(self) -> dict[str, int]:
        self._send({"op": "stats"})
        return self._recv()


@dataclass
class RealServiceEndpoints:
    urls: dict[str, str]
    available: dict[str, bool] = field(default_factory=dict)
    requested: bool = False

    def require(self, name: str) -> str:
        if not self.available.get(name):
            pytest.skip(f"real {name} not reachable at {self.urls[name]}")
        return self.urls[name]


@dataclass
class E2EEnvironment:
    server: LoopbackWebSocketServer
    logger: E2ELogger
    monitor: PerformanceMonitor
    users: list[UserExecutionContext]
    info: dict[str, Any]
    settings: Settings

    def connect(self, **kwargs: Any) -> ClientConnection:
        """Open a client connection; use it as ``with env.connect() as ws:``."""
        options = {"open_timeout": 2, "close_timeout": 1, "proxy": None, "compression": None}
        options.update(kwargs)
        return ws_connect(self.server.url, **options)


# =============================================================================
# 6. Pytest hooks
# =============================================================================


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("supervisor", "supervisor-service test options")
    group.addoption(
        "--run-real-services",
        action="store_true",
        default=False,
        help="run tests marked real_services against POSTGRES_URL / REDIS_URL / CLICKHOUSE_URL",
    )
    group.addoption(
        "--e2e-users",
        action="store",
        type=int,
        default=DEFAULT_E2E_USERS,
        help=f"number of simulated users in e2e tests (default {DEFAULT_E2E_USERS}, max {MAX_E2E_USERS})",
    )


def pytest_configure(config: pytest.Config) -> None:
    for name, description in CUSTOM_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    config.stash[_SESSION_START_KEY] = time.perf_counter()


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        f"supervisor-service {__version__}; real services requested: {real_services_requested(config)}",
        f"psycopg available: {psycopg is not None}",
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by directory and gate real-service tests.

    real_services tests run when --run-real-services / RUN_REAL_SERVICES=1 is
    given, or when at least one service answers on its port.  Otherwise they
    are skipped at collection time so nobody waits for connect timeouts.
    """
    tests_root = Path(__file__).resolve().parent
    run_real: bool | None = True if real_services_requested(config) else None
    skip_real = pytest.mark.skip(reason="real services not enabled (use --run-real-services) and none reachable")
    for item in items:
        try:
            relative = Path(str(item.path)).resolve().relative_to(tests_root)
        except ValueError:
            continue  # not one of ours (e.g. the other/ directory)
        if len(relative.parts) > 1:
            marker = DIRECTORY_MARKERS.get(relative.parts[0])
            if marker and item.get_closest_marker(marker) is None:
                item.add_marker(getattr(pytest.mark, marker))
        if item.get_closest_marker("real_services") is not None:
            if run_real is None:
                run_real = any_real_service_reachable()
            if not run_real:
                item.add_marker(skip_real)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    # Expose the per-phase report on the item (item.rep_setup / rep_call /
    # rep_teardown) so fixtures can react to failures during teardown.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    started = session.config.stash.get(_SESSION_START_KEY, None)
    elapsed = time.perf_counter() - started if started is not None else float("nan")
    logger.info("session finished in %.2fs (exit %s); registry=%s", elapsed, exitstatus, registry_counts())
    slow = [entry for entry in TEST_RESOURCE_REGISTRY["performance"] if entry.get("max_ms", 0) > 1_000]
    for entry in slow:
        logger.warning("slow e2e measurement: %s", entry)


# =============================================================================
# 7. Session / environment fixtures
# =============================================================================


@pytest.fixture(scope="session")
def event_loop_policy() -> asyncio.AbstractEventLoopPolicy:
    """Event loop policy for pytest-asyncio.

    Windows developers need the selector loop for websockets + redis.asyncio;
    everywhere else the default policy is fine.
    """
    if sys.platform.startswith("win"):  # pragma: no cover
        return asyncio.WindowsSelectorEventLoopPolicy()  # type: ignore[attr-defined]
    return asyncio.DefaultEventLoopPolicy()


@pytest.fixture(scope="session", autouse=True)
def _configure_session_logging() -> Iterator[None]:
    """Quiet noisy libraries for the session; restore levels afterwards."""
    levels = {"websockets": logging.WARNING, "httpx": logging.WARNING, "sqlalchemy.engine": logging.WARNING}
    previous = {name: logging.getLogger(name).level for name in levels}
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    logging.getLogger("supervisor_service").setLevel(logging.DEBUG)
    yield
    for name, level in previous.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture(autouse=True)
def _reset_supervisor_env(request: SubRequest) -> Iterator[None]:
    """Restore os.environ after every test (tests love setting env vars)."""
    snapshot = dict(os.environ)
    os.environ["SUPERVISOR_ACTIVE_TEST"] = request.node.nodeid
    yield
    for key in set(os.environ) - set(snapshot):
        del os.environ[key]
    for key, value in snapshot.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


@pytest.fixture(scope="session")
def test_settings() -> Settings:
    return Settings.from_env().with_overrides(env="test", secret_key=TEST_SECRET_KEY)


@pytest.fixture(name="supervisor_settings")
def fixture_supervisor_settings(test_settings: Settings) -> Settings:
    """Settings tuned for supervisor tests (small concurrency window)."""
    return test_settings.with_overrides(max_concurrent_runs=2, session_ttl_seconds=60)


@pytest.fixture(scope="package")
def package_namespace(request: SubRequest) -> str:
    """A key prefix unique to the test package, for shared external stores."""
    package = getattr(request.node, "name", "tests")
    return f"pytest:{package}:{uuid.uuid4().hex[:8]}"


# =============================================================================
# 8. Users & execution contexts
# =============================================================================


@pytest.fixture
def user_factory(request: SubRequest) -> UserFactory:
    factory = UserFactory()

    def _forget_users() -> None:
        created = {user["id"] for user in factory.created}
        TEST_RESOURCE_REGISTRY["users"][:] = [u for u in TEST_RESOURCE_REGISTRY["users"] if u not in created]

    request.addfinalizer(_forget_users)
    return factory


@pytest.fixture(params=USER_ROLES, ids=[f"role-{role}" for role in USER_ROLES])
def user_role(request: SubRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def common_test_user() -> dict[str, Any]:
    """A read-only user description shared by the whole session (never persisted)."""
    return {"id": DEFAULT_TEST_USER_ID, "email": DEFAULT_TEST_EMAIL, "display_name": "Common Test User", "role": "member"}


@pytest.fixture
def sample_data(common_test_user: dict[str, Any]) -> dict[str, Any]:
    """Canonical fixture data; sub-directories extend it (see tests/unit/conftest.py).

    Plain Python on purpose: unit tests use it, and they must not pay for numpy.
    """
    runs = [
        {
            "run_id": f"run_{i:04d}",
            "user_id": f"user_{i % 5 + 1:02d}",
            "agent_name": AGENT_NAMES[i % len(AGENT_NAMES)],
            "status": "failed" if i % 10 == 9 else "completed",
            "duration_ms": 10.0 + 3.5 * i,
        }
        for i in range(12)
    ]
    return {
        "user": dict(common_test_user),
        "users": [
            dict(common_test_user),
            {"id": SECONDARY_TEST_USER_ID, "email": SECONDARY_TEST_EMAIL, "display_name": "Second", "role": "member"},
            {"id": "user_admin_0001", "email": "admin@example.com", "display_name": "Admin", "role": "admin"},
        ],
        "messages": list(SAMPLE_MESSAGES),
        "runs": runs,
        "agents": list(AGENT_NAMES),
    }


@pytest.fixture
def test_user(db_sessionmaker: sessionmaker, user_factory: UserFactory) -> dict[str, Any]:
    """The primary API user, persisted in the app database."""
    data = user_factory.build(DEFAULT_TEST_USER_ID, email=DEFAULT_TEST_EMAIL, display_name="Test User")
    return persist_user(db_sessionmaker, user_factory, data)


@pytest.fixture
def test_user_v2(db_sessionmaker: sessionmaker, user_factory: UserFactory) -> dict[str, Any]:
    """Second user (added for the v2 multi-tenant tests); never shares state with test_user."""
    data = user_factory.build(SECONDARY_TEST_USER_ID, email=SECONDARY_TEST_EMAIL, display_name="Second User")
    return persist_user(db_sessionmaker, user_factory, data)


@pytest.fixture
def valid_user_execution_context(common_test_user: dict[str, Any]) -> UserExecutionContext:
    return build_context(common_test_user["id"], source="pytest")


@pytest.fixture(params=[2, 8], ids=["two-users", "eight-users"])
def concurrent_user_contexts(request: SubRequest, user_factory: UserFactory) -> list[UserExecutionContext]:
    users = user_factory.build_batch(request.param)
    return [build_context(user["id"], index=index) for index, user in enumerate(users)]


@pytest.fixture
def auth_token_factory(test_settings: Settings) -> Callable[..., str]:
    def _make(user_id: str, *, issued_at: int | None = None, secret: str | None = None) -> str:
        return create_token(user_id, secret or test_settings.secret_key, issued_at=issued_at)

    return _make


# =============================================================================
# 9. Database fixtures
# =============================================================================


@pytest.fixture(scope="session")
def sqlite_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("db") / "supervisor-test.sqlite3"


@pytest.fixture(scope="session")
def sqlite_engine(sqlite_db_path: Path) -> Iterator[sa.Engine]:
    """File-backed engine shared by the session; tests roll back (see below)."""
    engine = create_db_engine(f"sqlite+pysqlite:///{sqlite_db_path}")
    init_db(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_engine() -> Iterator[sa.Engine]:
    """Fresh in-memory database per test, used by the app fixture."""
    engine = create_db_engine("sqlite+pysqlite:///:memory:")
    init_db(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_sessionmaker(db_engine: sa.Engine) -> sessionmaker:
    return create_session_factory(db_engine)


@pytest.fixture
def isolated_db_session(sqlite_engine: sa.Engine) -> Iterator[Session]:
    """A Session inside an outer transaction that is always rolled back.

    Code under test may call ``session.commit()``; with
    ``join_transaction_mode="create_savepoint"`` that only releases a
    SAVEPOINT, so nothing ever reaches the shared database file.
    """
    connection = sqlite_engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@pytest.fixture
def seeded_users(isolated_db_session: Session, user_factory: UserFactory) -> list[dict[str, Any]]:
    users = [user_factory.build(role=role) for role in ("member", "member", "admin", "viewer", "member")]
    for data in users:
        user_factory.persist(isolated_db_session, data)
    isolated_db_session.flush()
    return users


@pytest.fixture
def database_session_isolation(isolated_db_session: Session, sqlite_engine: sa.Engine) -> Iterator[SimpleNamespace]:
    """Yield the isolated session plus a probe that reads *committed* rows.

    On teardown we assert that nothing the test did was committed for real.
    """

    def committed_user_count() -> int:
        with sqlite_engine.connect() as probe:
            return int(probe.execute(text("SELECT COUNT(*) FROM users")).scalar_one())

    baseline = committed_user_count()
    checker = SimpleNamespace(session=isolated_db_session, baseline=baseline, committed_user_count=committed_user_count)
    yield checker
    leaked = committed_user_count() - baseline
    assert leaked == 0, f"{leaked} user rows escaped the test transaction"


# =============================================================================
# 10. Mocks (Redis, ClickHouse, WebSocket, factories)
# =============================================================================


@pytest.fixture
def frozen_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def redis_backend(frozen_clock: FakeClock) -> InMemoryRedisBackend:
    return InMemoryRedisBackend(clock=frozen_clock)


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
def clickhouse_server() -> FakeClickHouseServer:
    server = FakeClickHouseServer()
    server.tables["agent_runs"].extend(dict(run, user_id=DEFAULT_TEST_USER_ID) for run in reference_runs()[:30])
    return server


@pytest.fixture
def mock_clickhouse_client(clickhouse_server: FakeClickHouseServer) -> Iterator[MagicMock]:
    """A real ClickHouseClient over httpx.MockTransport, wrapped in a spy."""
    real = ClickHouseClient(
        "http://clickhouse.test:8123", database="analytics", transport=httpx.MockTransport(clickhouse_server.handle)
    )
    client = MagicMock(spec=ClickHouseClient, wraps=real, name="ClickHouseClient")
    client.server = clickhouse_server
    client.database = real.database
    yield client
    real.close()


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
def recording_websocket() -> Callable[..., RecordingWebSocket]:
    def _make(name: str = "ws", **kwargs: Any) -> RecordingWebSocket:
        return RecordingWebSocket(name, **kwargs)

    return _make


@pytest.fixture
def websocket_manager() -> WebSocketManager:
    return WebSocketManager(history_size=50)


@pytest.fixture
async def connected_websocket_manager(
    websocket_manager: WebSocketManager, recording_websocket: Callable[..., RecordingWebSocket]
) -> WebSocketManager:
    """Manager with two users already connected (alice: 2 sockets, bob: 1)."""
    for user_id, name in (("alice", "alice-1"), ("alice", "alice-2"), ("bob", "bob-1")):
        await websocket_manager.connect(user_id, recording_websocket(name))
    return websocket_manager


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


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://supervisor.test") as test_client:
        yield test_client


@pytest.fixture
def auth_headers(test_user: dict[str, Any], auth_token_factory: Callable[..., str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth_token_factory(test_user['id'])}"}


@pytest.fixture
def auth_headers_v2(test_user_v2: dict[str, Any], auth_token_factory: Callable[..., str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth_token_factory(test_user_v2['id'])}", "X-API-Version": "2"}


@pytest_asyncio.fixture
async def async_http_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://supervisor.test") as http:
        yield http


# =============================================================================
# 12. Agents, supervisor & memory
# =============================================================================


@pytest.fixture(params=AGENT_NAMES, ids=list(AGENT_NAMES))
def agent_name(request: SubRequest) -> str:
    return request.param


@pytest.fixture
def agent_factory() -> AgentFactory:
    return AgentFactory()


@pytest.fixture(
    params=[
        {"input": "hello"},
        {"input": " ".join(SAMPLE_MESSAGES * 20)},
        {"input": "Grüße, 日本語のテキスト, emoji 🚀 and refund"},
    ],
    ids=["short", "long", "unicode"],
)
def payload_case(request: SubRequest) -> dict[str, Any]:
    return dict(request.param)


@pytest.fixture
def session_memory_manager(frozen_clock: FakeClock) -> Iterator[SessionMemoryManager]:
    manager = SessionMemoryManager(max_sessions=8, max_items=5, ttl_seconds=60, clock=frozen_clock)
    yield manager
    manager.clear()


@pytest.fixture
def memory_optimization_service(
    session_memory_manager: SessionMemoryManager, test_settings: Settings
) -> Iterator[MemoryOptimizationService]:
    # A full (generation 2) collection costs 150+ ms once pandas & co are
    # imported; generation 1 is plenty for what these tests check.
    service = MemoryOptimizationService(soft_limit_mb=test_settings.memory_soft_limit_mb, gc_generation=1)
    service.register_cache("session_memory", session_memory_manager)
    yield service
    for name in service.cache_names:
        service.unregister_cache(name)


@pytest.fixture
async def request_scoped_supervisor(
    valid_user_execution_context: UserExecutionContext,
    mock_websocket_manager: MagicMock,
    agent_factory: AgentFactory,
    supervisor_settings: Settings,
) -> AsyncIterator[Supervisor]:
    """A Supervisor bound to one request context; shut down after the test."""
    supervisor = Supervisor.for_request(
        valid_user_execution_context,
        agent_factory=agent_factory,
        websocket_manager=mock_websocket_manager,
        max_concurrent=supervisor_settings.max_concurrent_runs,
    )
    register_resource("supervisors", valid_user_execution_context.isolation_key)
    yield supervisor
    await supervisor.shutdown()


@pytest.fixture
def persistent_supervisor_factory(
    db_sessionmaker: sessionmaker, websocket_manager: WebSocketManager, agent_factory: AgentFactory
) -> Callable[[UserExecutionContext], Supervisor]:
    """Build supervisors that persist runs into the per-test database."""

    def _build(context: UserExecutionContext) -> Supervisor:
        return Supervisor.for_request(
            context, agent_factory=agent_factory, websocket_manager=websocket_manager, session_factory=db_sessionmaker
        )

    return _build


@pytest.fixture
def numpy_rng() -> np.random.Generator:
    return numpy.random.default_rng(20240229)


@pytest.fixture(scope="module")
def analytics_frame() -> pd.DataFrame:
    frame = runs_to_frame(reference_runs())
    pdt.assert_index_equal(frame.columns, pd.Index(["run_id", "user_id", "agent_name", "status", "duration_ms"]))
    return frame


# =============================================================================
# 13. Phase 0 environment
# =============================================================================


@pytest.fixture(scope="session")
def phase0_test_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """Session-wide environment for the phase 0 isolation tests.

    Sets feature flags in os.environ for the whole session (undone at the
    end), and gives every consumer the same workspace and settings.
    """
    workspace = tmp_path_factory.mktemp("phase0")
    patcher = pytest.MonkeyPatch()
    patcher.setenv("SUPERVISOR_PHASE", "0")
    patcher.setenv("SUPERVISOR_STRICT_CONTEXT", "1")
    patcher.setenv("DATABASE_URL", f"sqlite+pysqlite:///{workspace / 'phase0.sqlite3'}")
    settings = Settings.from_env().with_overrides(secret_key=TEST_SECRET_KEY)
    environment = SimpleNamespace(
        workspace=workspace,
        settings=settings,
        flags={"strict_context": True, "legacy_singletons": False},
        registry=TEST_RESOURCE_REGISTRY,
        started_at=time.time(),
    )
    logger.debug("phase0 environment ready in %s", workspace)
    yield environment
    patcher.undo()


# =============================================================================
# 14. End-to-end (loopback servers, performance)
# =============================================================================


@pytest.fixture(scope="session")
def e2e_user_count(request: SubRequest) -> int:
    requested = request.config.getoption("--e2e-users", default=DEFAULT_E2E_USERS)
    return max(1, min(int(requested), MAX_E2E_USERS))


@pytest.fixture(scope="session")
def performance_budgets() -> dict[str, float]:
    scale = float(os.environ.get("PERF_BUDGET_SCALE", "1.0"))
    return {label: budget * scale for label, budget in PERFORMANCE_BUDGETS_MS.items()}


@pytest.fixture(scope="session")
def validate_e2e_environment() -> dict[str, Any]:
    """Fail fast (skip) when the machine cannot run e2e tests at all."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((LOOPBACK_HOST, 0))
            port = probe.getsockname()[1]
    except OSError as exc:  # pragma: no cover - sandboxed CI without loopback
        pytest.skip(f"loopback networking unavailable: {exc}")
    if sys.version_info < (3, 10):  # pragma: no cover
        pytest.skip("e2e tests need Python 3.10+")
    return {
        "python": ".".join(map(str, sys.version_info[:3])),
        "websockets": websockets.__version__,
        "pid": os.getpid(),
        "cpu_count": os.cpu_count() or 1,
        "probe_port": port,
        "rss_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
    }


@pytest.fixture
def performance_monitor(request: SubRequest, performance_budgets: dict[str, float]) -> Iterator[PerformanceMonitor]:
    monitor = PerformanceMonitor(request.node.nodeid, performance_budgets)
    yield monitor
    summary = monitor.summary()
    if not summary.empty:
        register_resource(
            "performance",
            {"test": request.node.nodeid, "labels": list(summary["label"]), "max_ms": float(summary["max_ms"].max())},
        )


@pytest.fixture
def e2e_logger(request: SubRequest) -> Iterator[E2ELogger]:
    log = E2ELogger(request.node.name)
    log.step("setup", nodeid=request.node.nodeid)
    yield log
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        logger.warning("e2e test failed, step log:\n%s", log.dump())


@pytest.fixture(scope="session")
def high_volume_server(validate_e2e_environment: dict[str, Any], request: SubRequest) -> LoopbackWebSocketServer:
    """Loopback websocket echo/broadcast server shared by the whole session."""
    server = LoopbackWebSocketServer().start()
    request.addfinalizer(server.stop)
    register_resource("servers", server.url)
    logger.debug("high volume server listening on %s", server.url)
    return server


@pytest.fixture
def throughput_client(
    high_volume_server: LoopbackWebSocketServer, performance_monitor: PerformanceMonitor
) -> Iterator[ThroughputClient]:
    with ws_connect(
        high_volume_server.url, open_timeout=2, close_timeout=1, proxy=None, compression=None, max_size=2**20
    ) as connection:
        yield ThroughputClient(connection, monitor=performance_monitor)


@pytest.fixture(scope="module")
def e2e_user_contexts(e2e_user_count: int) -> list[UserExecutionContext]:
    return [build_context(next_test_id("e2e_user"), e2e=True) for _ in range(e2e_user_count)]


@pytest.fixture
def setup_e2e_test_environment(
    validate_e2e_environment: dict[str, Any],
    phase0_test_environment: SimpleNamespace,
    high_volume_server: LoopbackWebSocketServer,
    e2e_logger: E2ELogger,
    performance_monitor: PerformanceMonitor,
    e2e_user_contexts: list[UserExecutionContext],
) -> Iterator[E2EEnvironment]:
    environment = E2EEnvironment(
        server=high_volume_server,
        logger=e2e_logger,
        monitor=performance_monitor,
        users=list(e2e_user_contexts),
        info=dict(validate_e2e_environment),
        settings=phase0_test_environment.settings,
    )
    e2e_logger.step("environment_ready", server=high_volume_server.url, users=len(e2e_user_contexts))
    yield environment
    e2e_logger.step("teardown")
    assert high_volume_server.is_running, "loopback server died during the test"


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
def real_postgres(real_services_session: RealServiceEndpoints) -> Iterator[sa.Connection]:
    if psycopg is None:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    url = real_services_session.require("postgres")
    driver_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(driver_url, connect_args={"connect_timeout": 1}, poolclass=NullPool)
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


@pytest.fixture
def real_clickhouse(real_services_session: RealServiceEndpoints) -> Iterator[ClickHouseClient]:
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
    url = os.environ.get("REAL_WEBSOCKET_URL")
    if not url:
        url = request.getfixturevalue("high_volume_server").url
    try:
        connection = ws_connect(url, open_timeout=1.0, close_timeout=1, proxy=None, compression=None)
    except (OSError, TimeoutError, websockets.exceptions.InvalidHandshake) as exc:
        pytest.skip(f"websocket endpoint {url} not reachable: {exc}")
    with connection:  # websockets>=17.1 wants connections used as context managers
        yield connection


async def _async_redis_ping(url: str) -> bool:
    """Used by the real-service smoke tests to check redis.asyncio as well."""
    client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=REAL_SERVICE_CONNECT_TIMEOUT)
    try:
        return bool(await client.ping())
    except redis.exceptions.RedisError:
        return False
    finally:
        await client.aclose()
