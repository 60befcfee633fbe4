"""Service fixtures: database sessions, managers, the app and its client (the part that imports sqlalchemy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from supervisor_service import UserExecutionContext
from supervisor_service.agents import AgentFactory, Supervisor
from supervisor_service.db import UserRepository, create_db_engine, create_session_factory, init_db
from supervisor_service.websocket_manager import WebSocketManager

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from _pytest.fixtures import SubRequest

from .conftest_base import (
    DEFAULT_TEST_EMAIL,
    DEFAULT_TEST_USER_ID,
    SECONDARY_TEST_EMAIL,
    SECONDARY_TEST_USER_ID,
    TEST_RESOURCE_REGISTRY,
    build_context,
    next_test_id,
    register_resource,
)


def persist_user(factory: sessionmaker, users: UserFactory, data: dict[str, Any]) -> dict[str, Any]:
    """Commit ``data`` as a User row through ``factory``; returns ``data``."""
    with factory() as session:
        users.persist(session, data)
        session.commit()
    return data


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


@pytest.fixture(params=[2, 8], ids=["two-users", "eight-users"])
def concurrent_user_contexts(request: SubRequest, user_factory: UserFactory) -> list[UserExecutionContext]:
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
