"""End-to-end fixtures: servers, load clients, environment checks.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations

# =============================================================================
# 1. Imports & optional dependencies
# =============================================================================

import asyncio
import contextlib
import json
import logging
import os
import re
import socket
import sys
import threading
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from unittest.mock import MagicMock

import psutil
import pytest
import pytest_asyncio

with warnings.catch_warnings():
    # starlette>=1.0 warns on import when it falls back to httpx instead of
    # httpx2.  We stay on httpx until PLAT-2231 (client migration) lands.
    warnings.filterwarnings("ignore", message=r".*install `httpx2` instead.*")
    from fastapi.testclient import TestClient

from supervisor_service import UserExecutionContext
from supervisor_service.app import create_app
from supervisor_service.clickhouse import ClickHouseClient
from supervisor_service.config import Settings
from supervisor_service.websocket_manager import WebSocketManager

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from _pytest.fixtures import SubRequest
    from websockets.sync.client import ClientConnection
    import httpx
    import pandas as pd
    from fastapi import FastAPI
    from sqlalchemy.orm import sessionmaker

from .conftest_base import (
    DEFAULT_E2E_USERS,
    DEFAULT_TEST_USER_ID,
    LOOPBACK_HOST,
    MAX_E2E_USERS,
    THROUGHPUT_MESSAGES,
    build_context,
    logger,
    next_test_id,
    register_resource,
)

from .conftest_services import PerformanceMonitor, reference_runs

MAX_BURST_MESSAGES = 5_000


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
        import httpx

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
                rows = [
                    row for row in rows if str(row.get(match["col"])) == match["value"]
                ]
            columns = [c.strip() for c in match["cols"].split(",")]
            if columns == ["count()"]:
                rows = [{"count()": len(rows)}]
            elif columns != ["*"]:
                rows = [{c: row.get(c) for c in columns} for row in rows]
            return httpx.Response(
                200, text="".join(json.dumps(row) + "\n" for row in rows)
            )
        return httpx.Response(
            400, text="Code: 62. DB::Exception: Syntax error (fake server)"
        )


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
        import pandas as pd

        return pd.DataFrame(self.events)

    def dump(self) -> str:
        return json.dumps(
            {"test": self.test_name, "events": self.events}, indent=2, default=str
        )


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
        import websockets
        import websockets.asyncio.server
        import websockets.exceptions

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
        import websockets
        import websockets.asyncio.server
        import websockets.exceptions

        self._stop = asyncio.Event()
        async with websockets.asyncio.server.serve(
            self._handler,
            self.host,
            0,
            compression=None,
            ping_interval=None,
            close_timeout=1,
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
        self._thread = threading.Thread(
            target=self._run, name="e2e-websocket-server", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(timeout) or self._error is not None:
            raise RuntimeError(
                f"loopback websocket server failed to start: {self._error!r}"
            )
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if (
            self._loop is not None
            and self._stop is not None
            and not self._loop.is_closed()
        ):
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)


class ThroughputClient:
    """Synchronous websocket client that measures round trips."""

    def __init__(
        self, connection: ClientConnection, monitor: PerformanceMonitor
    ) -> None:
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
        assert [r["seq"] for r in replies] == list(
            range(messages)
        ), "echo replies out of order"
        return messages / elapsed if elapsed > 0 else float("inf")

    def stats(self) -> dict[str, int]:
        self._send({"op": "stats"})
        return self._recv()


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
        from websockets.sync.client import connect as ws_connect

        options = {
            "open_timeout": 2,
            "close_timeout": 1,
            "proxy": None,
            "compression": None,
        }
        options.update(kwargs)
        return ws_connect(self.server.url, **options)


@pytest.fixture
def clickhouse_server() -> FakeClickHouseServer:
    server = FakeClickHouseServer()
    server.tables["agent_runs"].extend(
        dict(run, user_id=DEFAULT_TEST_USER_ID) for run in reference_runs()[:30]
    )
    return server


@pytest.fixture
def mock_clickhouse_client(
    clickhouse_server: FakeClickHouseServer,
) -> Iterator[MagicMock]:
    """A real ClickHouseClient over httpx.MockTransport, wrapped in a spy."""
    import httpx

    real = ClickHouseClient(
        "http://clickhouse.test:8123",
        database="analytics",
        transport=httpx.MockTransport(clickhouse_server.handle),
    )
    client = MagicMock(spec=ClickHouseClient, wraps=real, name="ClickHouseClient")
    client.server = clickhouse_server
    client.database = real.database
    yield client
    real.close()


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


@pytest_asyncio.fixture
async def async_http_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://supervisor.test"
    ) as http:
        yield http


# =============================================================================
# 14. End-to-end (loopback servers, performance)
# =============================================================================


@pytest.fixture(scope="session")
def e2e_user_count(request: SubRequest) -> int:
    requested = request.config.getoption("--e2e-users", default=DEFAULT_E2E_USERS)
    return max(1, min(int(requested), MAX_E2E_USERS))


@pytest.fixture(scope="session")
def validate_e2e_environment() -> dict[str, Any]:
    """Fail fast (skip) when the machine cannot run e2e tests at all."""
    import websockets
    import websockets.asyncio.server
    import websockets.exceptions

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
def e2e_logger(request: SubRequest) -> Iterator[E2ELogger]:
    log = E2ELogger(request.node.name)
    log.step("setup", nodeid=request.node.nodeid)
    yield log
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        logger.warning("e2e test failed, step log:\n%s", log.dump())


@pytest.fixture(scope="session")
def high_volume_server(
    validate_e2e_environment: dict[str, Any], request: SubRequest
) -> LoopbackWebSocketServer:
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
    from websockets.sync.client import connect as ws_connect

    with ws_connect(
        high_volume_server.url,
        open_timeout=2,
        close_timeout=1,
        proxy=None,
        compression=None,
        max_size=2**20,
    ) as connection:
        yield ThroughputClient(connection, monitor=performance_monitor)


@pytest.fixture(scope="module")
def e2e_user_contexts(e2e_user_count: int) -> list[UserExecutionContext]:
    return [
        build_context(next_test_id("e2e_user"), e2e=True) for _ in range(e2e_user_count)
    ]


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
    e2e_logger.step(
        "environment_ready", server=high_volume_server.url, users=len(e2e_user_contexts)
    )
    yield environment
    e2e_logger.step("teardown")
    assert high_volume_server.is_running, "loopback server died during the test"
