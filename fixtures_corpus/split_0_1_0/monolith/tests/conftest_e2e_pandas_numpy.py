"""End-to-end fixtures: servers, load clients, environment checks (the part that imports pandas, numpy, websockets).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import json
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
import pytest
from websockets.sync.client import connect as ws_connect

from supervisor_service import UserExecutionContext
from supervisor_service.config import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator
    from websockets.sync.client import ClientConnection

from .conftest_base import THROUGHPUT_MESSAGES

from .conftest_services_pandas import PerformanceMonitor

from .conftest_e2e_pandas import E2ELogger

from .conftest_e2e_websockets import LoopbackWebSocketServer


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


@pytest.fixture
def throughput_client(
    high_volume_server: LoopbackWebSocketServer, performance_monitor: PerformanceMonitor
) -> Iterator[ThroughputClient]:
    with ws_connect(
        high_volume_server.url, open_timeout=2, close_timeout=1, proxy=None, compression=None, max_size=2**20
    ) as connection:
        yield ThroughputClient(connection, monitor=performance_monitor)


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
