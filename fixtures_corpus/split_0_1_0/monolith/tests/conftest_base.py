"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations

# =============================================================================
# 1. Imports & optional dependencies
# =============================================================================

import asyncio
import functools
import itertools
import logging
import os
import socket
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from unittest.mock import MagicMock
from urllib.parse import urlsplit
import pytest

from supervisor_service import UserExecutionContext
from supervisor_service.agents import AgentFactory, Supervisor
from supervisor_service.auth import create_token
from supervisor_service.config import Settings
from supervisor_service.memory import MemoryOptimizationService, SessionMemoryManager
from supervisor_service.websocket_manager import WebSocketManager

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from _pytest.fixtures import SubRequest


# =============================================================================
# 2. Environment side effects / logging
# =============================================================================
# These run at import time on purpose: the app reads its settings from the
# environment and some modules cache them on first import.

TEST_SECRET_KEY = "test-secret-key-not-for-production"

LOG_FORMAT = "%(asctime)s %(levelname)-7s [%(name)s] %(message)s"
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


def assert_json_subset(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Assert every key of ``expected`` is in ``actual`` with an equal value."""
    missing = {k: v for k, v in expected.items() if k not in actual or actual[k] != v}
    assert not missing, f"mismatched keys {sorted(missing)}: expected {missing}, got {actual}"


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
def valid_user_execution_context(common_test_user: dict[str, Any]) -> UserExecutionContext:
    return build_context(common_test_user["id"], source="pytest")


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


@pytest.fixture(scope="session")
def performance_budgets() -> dict[str, float]:
    scale = float(os.environ.get("PERF_BUDGET_SCALE", "1.0"))
    return {label: budget * scale for label, budget in PERFORMANCE_BUDGETS_MS.items()}
