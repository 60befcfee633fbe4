"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import asyncio

import pytest
import pytest_asyncio

# Connections closed by the async-generator fixture's teardown.
CLOSED = []


class FakeConnection:
    """Stand-in for a network connection with async open/close."""

    def __init__(self, settings):
        self.settings = settings
        self.is_open = False
        self.sent = []
        self.loop = None

    async def open(self):
        await asyncio.sleep(self.settings["latency"])
        self.loop = asyncio.get_running_loop()
        self.is_open = True

    async def send(self, message):
        assert self.is_open, "send on closed connection"
        await asyncio.sleep(0)
        self.sent.append(message)
        return len(message)

    async def close(self):
        await asyncio.sleep(0)
        self.is_open = False


@pytest.fixture
def settings():
    """Synchronous fixture the async fixtures depend on."""
    return {"latency": 0.001, "service": "echo", "retries": 2}


@pytest_asyncio.fixture
async def greeting(settings):
    """Plain coroutine fixture (no teardown)."""
    await asyncio.sleep(0)
    return f"hello from {settings['service']}"


@pytest_asyncio.fixture
async def connection(settings):
    """Async-generator fixture: open before the test, close after it."""
    conn = FakeConnection(settings)
    await conn.open()
    yield conn
    await conn.close()
    CLOSED.append(conn)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_pool(settings_for_pool):
    """Module-scoped async fixture living in a module-scoped event loop."""
    pool = {"size": settings_for_pool["pool_size"], "loop": asyncio.get_running_loop()}
    yield pool
    pool["size"] = 0


@pytest.fixture(scope="module")
def settings_for_pool():
    """Sync, module-scoped (a module-scoped fixture can't use function-scoped ``settings``)."""
    return {"pool_size": 4}


@pytest.fixture
def closed_connections():
    """Expose the teardown log of ``connection``."""
    return CLOSED
