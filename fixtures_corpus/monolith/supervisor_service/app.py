"""FastAPI application factory."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from supervisor_service import __version__
from supervisor_service.agents import AgentFactory, AgentNotFoundError, Supervisor
from supervisor_service.analytics import runs_to_frame, summarize_runs
from supervisor_service.auth import AuthError, bearer_user_id, create_token, verify_token
from supervisor_service.cache import RedisCache, RedisSessionManager
from supervisor_service.config import Settings
from supervisor_service.context import UserExecutionContext
from supervisor_service.db import RunRepository, UserRepository
from supervisor_service.websocket_manager import WebSocketManager

logger = logging.getLogger(__name__)


class UserIn(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    display_name: str = ""
    role: str = "member"


class TokenIn(BaseModel):
    user_id: str


class RunIn(BaseModel):
    input: str = ""
    thread_id: str | None = None


class EventIn(BaseModel):
    name: str
    value: float = 0.0
    properties: dict[str, Any] = Field(default_factory=dict)


def _state(request: Request) -> Any:
    return request.app.state


def get_db(request: Request) -> Iterator[Session]:
    factory: sessionmaker | None = request.app.state.db_sessionmaker
    if factory is None:
        raise HTTPException(503, "database not configured")
    with factory() as session:
        yield session


def current_user_id(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    settings: Settings = request.app.state.settings
    try:
        return bearer_user_id(authorization, settings.secret_key, max_age=settings.token_max_age_seconds)
    except AuthError as exc:
        raise HTTPException(401, str(exc)) from exc


Db = Annotated[Session, Depends(get_db)]
UserId = Annotated[str, Depends(current_user_id)]


def _require(value: Any, name: str) -> Any:
    if value is None:
        raise HTTPException(503, f"{name} not configured")
    return value


def create_app(
    settings: Settings | None = None,
    *,
    redis: Any = None,
    clickhouse: Any = None,
    db_sessionmaker: sessionmaker | None = None,
    websocket_manager: WebSocketManager | None = None,
    agent_factory: AgentFactory | None = None,
) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(title="supervisor-service", version=__version__, debug=settings.debug)
    app.state.settings = settings
    app.state.redis = redis
    app.state.clickhouse = clickhouse
    app.state.db_sessionmaker = db_sessionmaker
    app.state.websocket_manager = websocket_manager or WebSocketManager()
    app.state.agent_factory = agent_factory or AgentFactory()
    app.state.sessions = RedisSessionManager(redis, ttl_seconds=settings.session_ttl_seconds) if redis else None
    app.state.cache = RedisCache(redis) if redis else None

    @app.get("/health")
    def health(request: Request) -> dict[str, Any]:
        state = _state(request)
        services: dict[str, bool] = {}
        if state.redis is not None:
            try:
                services["redis"] = bool(state.redis.ping())
            except Exception:  # noqa: BLE001
                services["redis"] = False
        if state.clickhouse is not None:
            services["clickhouse"] = bool(state.clickhouse.ping())
        services["database"] = state.db_sessionmaker is not None
        status = "ok" if all(services.values()) else "degraded"
        return {"status": status, "env": settings.env, "version": __version__, "services": services}

    @app.post("/auth/token")
    def issue_token(body: TokenIn, db: Db) -> dict[str, str]:
        if UserRepository(db).get(body.user_id) is None:
            raise HTTPException(404, "unknown user")
        return {"access_token": create_token(body.user_id, settings.secret_key), "token_type": "bearer"}

    @app.post("/users", status_code=201)
    def create_user(body: UserIn, db: Db) -> dict[str, Any]:
        repo = UserRepository(db)
        try:
            user = repo.create(body.id, body.email, body.display_name, body.role)
            db.commit()
        except IntegrityError as exc:
            db.rollback()
            raise HTTPException(409, "user already exists") from exc
        return user.to_dict()

    @app.get("/users/me")
    def me(user_id: UserId, db: Db) -> dict[str, Any]:
        user = UserRepository(db).get(user_id)
        if user is None:
            raise HTTPException(404, "user not found")
        return user.to_dict()

    @app.get("/users/{target_id}")
    def get_user(target_id: str, user_id: UserId, db: Db) -> dict[str, Any]:
        repo = UserRepository(db)
        caller = repo.get(user_id)
        if target_id != user_id and (caller is None or caller.role != "admin"):
            raise HTTPException(403, "forbidden")
        user = repo.get(target_id)
        if user is None:
            raise HTTPException(404, "user not found")
        return user.to_dict()

    @app.get("/agents")
    def list_agents(request: Request) -> dict[str, list[str]]:
        return {"agents": _state(request).agent_factory.available()}

    @app.post("/agents/{agent_name}/runs")
    async def run_agent(agent_name: str, body: RunIn, request: Request, user_id: UserId) -> dict[str, Any]:
        state = _state(request)
        context = UserExecutionContext.create(user_id, thread_id=body.thread_id, source="http")
        supervisor = Supervisor.for_request(
            context,
            agent_factory=state.agent_factory,
            websocket_manager=state.websocket_manager,
            session_factory=state.db_sessionmaker,
            max_concurrent=settings.max_concurrent_runs,
        )
        try:
            result = await supervisor.run(agent_name, {"input": body.input})
        except AgentNotFoundError as exc:
            raise HTTPException(404, f"unknown agent {agent_name}") from exc
        finally:
            await supervisor.shutdown()
        payload = result.to_dict()
        if state.cache is not None:
            state.cache.set_json(f"last_run:{user_id}", payload)
        if state.sessions is not None:
            state.sessions.publish_event(f"runs:{user_id}", {"run_id": result.run_id, "status": result.status})
        return payload

    @app.get("/runs")
    def list_runs(user_id: UserId, db: Db, thread_id: str | None = None) -> dict[str, Any]:
        runs = RunRepository(db).list_for_user(user_id, thread_id=thread_id)
        return {"runs": [run.to_dict() for run in runs]}

    @app.get("/runs/last")
    def last_run(request: Request, user_id: UserId) -> dict[str, Any]:
        cache: RedisCache = _require(_state(request).cache, "redis")
        cached = cache.get_json(f"last_run:{user_id}")
        if cached is None:
            raise HTTPException(404, "no runs yet")
        return cached

    @app.post("/sessions", status_code=201)
    def create_session(request: Request, user_id: UserId, data: dict[str, Any] | None = None) -> dict[str, str]:
        sessions: RedisSessionManager = _require(_state(request).sessions, "redis")
        return {"session_id": sessions.create_session(user_id, data)}

    @app.get("/sessions/{session_id}")
    def get_session(session_id: str, request: Request, user_id: UserId) -> dict[str, Any]:
        sessions: RedisSessionManager = _require(_state(request).sessions, "redis")
        session = sessions.get_session(session_id)
        if session is None or session["user_id"] != user_id:
            raise HTTPException(404, "session not found")
        sessions.touch(session_id)
        return session

    @app.post("/analytics/events", status_code=202)
    def record_events(events: list[EventIn], request: Request, user_id: UserId) -> dict[str, int]:
        clickhouse = _require(_state(request).clickhouse, "clickhouse")
        rows = [{"user_id": user_id, "event_id": uuid.uuid4().hex, **event.model_dump()} for event in events]
        return {"inserted": clickhouse.insert("agent_events", rows)}

    @app.get("/analytics/summary")
    def analytics_summary(request: Request, user_id: UserId) -> dict[str, Any]:
        clickhouse = _require(_state(request).clickhouse, "clickhouse")
        rows = clickhouse.query(
            "SELECT run_id, user_id, agent_name, status, duration_ms FROM agent_runs "
            f"WHERE user_id = '{user_id.replace(chr(39), '')}'"
        )
        summary = summarize_runs(runs_to_frame(rows))
        return {"user_id": user_id, "agents": summary.to_dict(orient="records")}

    @app.websocket("/ws")
    async def websocket_endpoint(websocket: WebSocket) -> None:
        state = websocket.app.state
        try:
            user_id = verify_token(websocket.query_params.get("token", ""), settings.secret_key)
        except AuthError:
            await websocket.close(code=4401)
            return
        manager: WebSocketManager = state.websocket_manager
        await manager.connect(user_id, websocket)
        try:
            while True:
                message = await websocket.receive_json()
                kind = message.get("type")
                if kind == "ping":
                    await websocket.send_json({"type": "pong"})
                elif kind == "run":
                    context = UserExecutionContext.create(user_id, thread_id=message.get("thread_id"), source="ws")
                    supervisor = Supervisor.for_request(
                        context, agent_factory=state.agent_factory, websocket_manager=manager
                    )
                    try:
                        result = await supervisor.run(message.get("agent", "echo"), {"input": message.get("input", "")})
                    except AgentNotFoundError:
                        await websocket.send_json({"type": "error", "detail": "unknown agent"})
                        continue
                    await websocket.send_json({"type": "result", **result.to_dict()})
                else:
                    await websocket.send_json({"type": "error", "detail": f"unknown message type {kind!r}"})
        except WebSocketDisconnect:
            logger.debug("websocket closed for %s", user_id)
        finally:
            await manager.disconnect(user_id, websocket)

    return app
