"""End-to-end fixtures: servers, load clients, environment checks (the part that imports websockets).

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
import os
import socket
import sys
import threading
from collections import defaultdict
from typing import TYPE_CHECKING, Any
import psutil
import pytest
import websockets
import websockets.asyncio.server
import websockets.exceptions

if TYPE_CHECKING:

    from _pytest.fixtures import SubRequest

from .conftest_base import LOOPBACK_HOST, logger, register_resource

MAX_BURST_MESSAGES = 5_000


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


@pytest.fixture(scope="session")
def high_volume_server(validate_e2e_environment: dict[str, Any], request: SubRequest) -> LoopbackWebSocketServer:
    """Loopback websocket echo/broadcast server shared by the whole session."""
    server = LoopbackWebSocketServer().start()
    request.addfinalizer(server.stop)
    register_resource("servers", server.url)
    logger.debug("high volume server listening on %s", server.url)
    return server
