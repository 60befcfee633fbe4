"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import contextlib
import functools
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from unittest.mock import MagicMock
import psutil
import pytest

from supervisor_service import UserExecutionContext
from supervisor_service.agents import AgentFactory, Supervisor
from supervisor_service.analytics import runs_to_frame
from supervisor_service.cache import RedisCache, RedisSessionManager
from supervisor_service.config import Settings
from supervisor_service.db import (
    UserRepository,
    create_db_engine,
    create_session_factory,
    init_db,
)
from supervisor_service.websocket_manager import WebSocketManager

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from _pytest.fixtures import SubRequest
    import numpy as np
    import pandas as pd
    import sqlalchemy as sa
    from sqlalchemy.orm import Session, sessionmaker

from .conftest_base import (
    AGENT_NAMES,
    DEFAULT_TEST_EMAIL,
    DEFAULT_TEST_USER_ID,
    InMemoryRedisBackend,
    REAL_SERVICE_CONNECT_TIMEOUT,
    SECONDARY_TEST_EMAIL,
    SECONDARY_TEST_USER_ID,
    TEST_RESOURCE_REGISTRY,
    build_context,
    next_test_id,
    register_resource,
)


@functools.lru_cache(maxsize=4)
def reference_runs(seed: int = 1234, count: int = 240) -> tuple[dict[str, Any], ...]:
    """Deterministic synthetic agent runs used by analytics tests.

    Cached because several module-scoped fixtures build frames from it.
    """
    import numpy as np

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


def persist_user(
    factory: sessionmaker, users: UserFactory, data: dict[str, Any]
) -> dict[str, Any]:
    """Commit ``data`` as a User row through ``factory``; returns ``data``."""
    with factory() as session:
        users.persist(session, data)
        session.commit()
    return data


class UserFactory:
    """Builds user payloads (and optionally persists them)."""

    def __init__(
        self, *, domain: str = "example.com", default_role: str = "member"
    ) -> None:
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
        return UserRepository(session).create(
            data["id"], data["email"], data["display_name"], data["role"]
        )


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
        import numpy as np

        values = self.samples.get(label)
        if not values:
            raise KeyError(f"no samples for {label!r}")
        return float(np.percentile(np.asarray(values), pct))

    def summary(self) -> pd.DataFrame:
        import numpy as np
        import pandas as pd

        rows = [
            (
                label,
                len(v),
                np.mean(v),
                np.percentile(v, 50),
                np.percentile(v, 95),
                np.max(v),
            )
            for label, v in sorted(self.samples.items())
        ]
        return pd.DataFrame(
            rows, columns=["label", "count", "mean_ms", "p50_ms", "p95_ms", "max_ms"]
        )

    def assert_within_budget(self, label: str, pct: float = 95) -> float:
        budget = self.budgets.get(label)
        if budget is None:
            raise KeyError(f"no budget configured for {label!r}")
        observed = self.percentile(label, pct)
        assert (
            observed <= budget
        ), f"{label} p{pct:g}={observed:.1f}ms exceeds budget {budget:.1f}ms"
        return observed

    def rss_delta_mb(self) -> float:
        return self.process.memory_info().rss / 2**20 - self.rss_start_mb


# =============================================================================
# 8. Users & execution contexts
# =============================================================================


@pytest.fixture
def user_factory(request: SubRequest) -> UserFactory:
    factory = UserFactory()

    def _forget_users() -> None:
        created = {user["id"] for user in factory.created}
        TEST_RESOURCE_REGISTRY["users"][:] = [
            u for u in TEST_RESOURCE_REGISTRY["users"] if u not in created
        ]

    request.addfinalizer(_forget_users)
    return factory


@pytest.fixture
def test_user(
    db_sessionmaker: sessionmaker, user_factory: UserFactory
) -> dict[str, Any]:
    """The primary API user, persisted in the app database."""
    data = user_factory.build(
        DEFAULT_TEST_USER_ID, email=DEFAULT_TEST_EMAIL, display_name="Test User"
    )
    return persist_user(db_sessionmaker, user_factory, data)


@pytest.fixture
def test_user_v2(
    db_sessionmaker: sessionmaker, user_factory: UserFactory
) -> dict[str, Any]:
    """Second user (added for the v2 multi-tenant tests); never shares state with test_user."""
    data = user_factory.build(
        SECONDARY_TEST_USER_ID, email=SECONDARY_TEST_EMAIL, display_name="Second User"
    )
    return persist_user(db_sessionmaker, user_factory, data)


@pytest.fixture(params=[2, 8], ids=["two-users", "eight-users"])
def concurrent_user_contexts(
    request: SubRequest, user_factory: UserFactory
) -> list[UserExecutionContext]:
    users = user_factory.build_batch(request.param)
    return [build_context(user["id"], index=index) for index, user in enumerate(users)]


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
    from sqlalchemy.orm import Session

    connection = sqlite_engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )
    try:
        yield session
    finally:
        session.close()
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@pytest.fixture
def seeded_users(
    isolated_db_session: Session, user_factory: UserFactory
) -> list[dict[str, Any]]:
    users = [
        user_factory.build(role=role)
        for role in ("member", "member", "admin", "viewer", "member")
    ]
    for data in users:
        user_factory.persist(isolated_db_session, data)
    isolated_db_session.flush()
    return users


@pytest.fixture
def database_session_isolation(
    isolated_db_session: Session, sqlite_engine: sa.Engine
) -> Iterator[SimpleNamespace]:
    """Yield the isolated session plus a probe that reads *committed* rows.

    On teardown we assert that nothing the test did was committed for real.
    """
    from sqlalchemy import text

    def committed_user_count() -> int:
        with sqlite_engine.connect() as probe:
            return int(probe.execute(text("SELECT COUNT(*) FROM users")).scalar_one())

    baseline = committed_user_count()
    checker = SimpleNamespace(
        session=isolated_db_session,
        baseline=baseline,
        committed_user_count=committed_user_count,
    )
    yield checker
    leaked = committed_user_count() - baseline
    assert leaked == 0, f"{leaked} user rows escaped the test transaction"


@pytest.fixture
def mock_redis_client(redis_backend: InMemoryRedisBackend) -> Iterator[MagicMock]:
    """``redis.Redis`` look-alike: a spec'd MagicMock backed by a dict.

    Calls are recorded (assert_called_with works) *and* behave like Redis.
    """
    import redis
    import redis.asyncio
    import redis.exceptions

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
def mock_redis_manager(
    mock_redis_client: MagicMock, test_settings: Settings
) -> MagicMock:
    """Spy around a real RedisSessionManager using the mock client."""
    real = RedisSessionManager(
        mock_redis_client, ttl_seconds=test_settings.session_ttl_seconds
    )
    spy = MagicMock(spec=RedisSessionManager, wraps=real, name="RedisSessionManager")
    spy.ttl_seconds = real.ttl_seconds
    spy.client = mock_redis_client
    spy.wrapped = real
    return spy


@pytest.fixture
def redis_cache(mock_redis_client: MagicMock) -> RedisCache:
    return RedisCache(mock_redis_client, prefix="test-cache", default_ttl=30)


@pytest.fixture
def auth_headers(
    test_user: dict[str, Any], auth_token_factory: Callable[..., str]
) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth_token_factory(test_user['id'])}"}


@pytest.fixture
def auth_headers_v2(
    test_user_v2: dict[str, Any], auth_token_factory: Callable[..., str]
) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {auth_token_factory(test_user_v2['id'])}",
        "X-API-Version": "2",
    }


@pytest.fixture
def persistent_supervisor_factory(
    db_sessionmaker: sessionmaker,
    websocket_manager: WebSocketManager,
    agent_factory: AgentFactory,
) -> Callable[[UserExecutionContext], Supervisor]:
    """Build supervisors that persist runs into the per-test database."""

    def _build(context: UserExecutionContext) -> Supervisor:
        return Supervisor.for_request(
            context,
            agent_factory=agent_factory,
            websocket_manager=websocket_manager,
            session_factory=db_sessionmaker,
        )

    return _build


@pytest.fixture
def numpy_rng() -> np.random.Generator:
    import numpy.random

    return numpy.random.default_rng(20240229)


@pytest.fixture(scope="module")
def analytics_frame() -> pd.DataFrame:
    import pandas as pd
    import pandas.testing as pdt

    frame = runs_to_frame(reference_runs())
    pdt.assert_index_equal(
        frame.columns,
        pd.Index(["run_id", "user_id", "agent_name", "status", "duration_ms"]),
    )
    return frame


@pytest.fixture
def performance_monitor(
    request: SubRequest, performance_budgets: dict[str, float]
) -> Iterator[PerformanceMonitor]:
    monitor = PerformanceMonitor(request.node.nodeid, performance_budgets)
    yield monitor
    summary = monitor.summary()
    if not summary.empty:
        register_resource(
            "performance",
            {
                "test": request.node.nodeid,
                "labels": list(summary["label"]),
                "max_ms": float(summary["max_ms"].max()),
            },
        )


async def _async_redis_ping(url: str) -> bool:
    """Used by the real-service smoke tests to check redis.asyncio as well."""
    import redis
    import redis.asyncio
    import redis.exceptions

    client = redis.asyncio.Redis.from_url(
        url, socket_connect_timeout=REAL_SERVICE_CONNECT_TIMEOUT
    )
    try:
        return bool(await client.ping())
    except redis.exceptions.RedisError:
        return False
    finally:
        await client.aclose()
