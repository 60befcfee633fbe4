"""SQLAlchemy 2 models, engine/session factories and small repositories."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import ForeignKey, String, Text, create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker
from sqlalchemy.pool import StaticPool


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(32), default="member")
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)

    runs: Mapped[list[AgentRun]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def to_dict(self) -> dict:
        return {"id": self.id, "email": self.email, "display_name": self.display_name, "role": self.role}


class AgentRun(Base):
    __tablename__ = "agent_runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    thread_id: Mapped[str] = mapped_column(String(64), index=True)
    agent_name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    input_text: Mapped[str] = mapped_column(Text, default="")
    output_text: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)

    user: Mapped[User] = relationship(back_populates="runs")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "thread_id": self.thread_id,
            "agent_name": self.agent_name,
            "status": self.status,
            "duration_ms": self.duration_ms,
        }


def _enable_sqlite_savepoints(engine: Engine) -> None:
    """Let SQLAlchemy (not pysqlite) control BEGIN so SAVEPOINTs work.

    See "Serializable isolation / Savepoints / Transactional DDL" in the
    SQLAlchemy SQLite dialect docs.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - trivial
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - trivial
        conn.exec_driver_sql("BEGIN")


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        kwargs: dict = {"connect_args": {"check_same_thread": False}}
        if ":memory:" in url or url.rstrip("/").endswith("sqlite+pysqlite:"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, echo=echo, **kwargs)
        _enable_sqlite_savepoints(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def init_db(engine: Engine) -> None:
    Base.metadata.create_all(engine)


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, user_id: str, email: str, display_name: str = "", role: str = "member") -> User:
        user = User(id=user_id, email=email.lower(), display_name=display_name, role=role)
        self.session.add(user)
        self.session.flush()
        return user

    def get(self, user_id: str) -> User | None:
        return self.session.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(User.email == email.lower()))

    def list(self, *, role: str | None = None) -> list[User]:
        stmt = select(User).order_by(User.id)
        if role is not None:
            stmt = stmt.where(User.role == role)
        return list(self.session.scalars(stmt))

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(User)) or 0


class RunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, **fields) -> AgentRun:
        run = AgentRun(**fields)
        self.session.add(run)
        self.session.flush()
        return run

    def list_for_user(self, user_id: str, *, thread_id: str | None = None) -> list[AgentRun]:
        stmt = select(AgentRun).where(AgentRun.user_id == user_id).order_by(AgentRun.created_at, AgentRun.id)
        if thread_id is not None:
            stmt = stmt.where(AgentRun.thread_id == thread_id)
        return list(self.session.scalars(stmt))

    def count_by_status(self) -> dict[str, int]:
        rows = self.session.execute(select(AgentRun.status, func.count()).group_by(AgentRun.status))
        return {status: count for status, count in rows}
