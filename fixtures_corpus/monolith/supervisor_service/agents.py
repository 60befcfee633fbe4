"""Agents and the request-scoped ``Supervisor`` that runs them."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from supervisor_service.context import UserExecutionContext

_WORD = re.compile(r"[\w']+")


def __getattr__(name: str) -> Any:
    # ``RunRepository`` comes from supervisor_service.db, which imports
    # SQLAlchemy (~20 MB).  Only ``Supervisor._persist`` needs it, so it is
    # imported on first use (PEP 562); ``supervisor_service.agents.RunRepository``
    # still resolves and can be patched.
    if name == "RunRepository":
        from supervisor_service.db import RunRepository

        globals()["RunRepository"] = RunRepository
        return RunRepository
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _run_repository() -> Any:
    """The module's ``RunRepository`` (patched, cached, or imported now)."""
    repository = globals().get("RunRepository")
    return repository if repository is not None else __getattr__("RunRepository")


class Agent(Protocol):
    name: str

    async def run(self, context: UserExecutionContext, payload: dict[str, Any]) -> dict[str, Any]: ...


class AgentNotFoundError(LookupError):
    pass


class EchoAgent:
    name = "echo"

    async def run(self, context: UserExecutionContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"echo": payload.get("input", ""), "user_id": context.user_id}


class SummarizerAgent:
    name = "summarizer"

    def __init__(self, top_n: int = 3) -> None:
        self.top_n = top_n

    async def run(self, context: UserExecutionContext, payload: dict[str, Any]) -> dict[str, Any]:
        words = [w.lower() for w in _WORD.findall(payload.get("input", ""))]
        counts = Counter(w for w in words if len(w) > 3)
        return {
            "word_count": len(words),
            "top_words": [word for word, _ in counts.most_common(self.top_n)],
        }


class ClassifierAgent:
    name = "classifier"
    KEYWORDS = {
        "billing": ("invoice", "refund", "charge", "payment"),
        "outage": ("down", "error", "outage", "timeout"),
        "feature": ("feature", "request", "would", "wish"),
    }

    async def run(self, context: UserExecutionContext, payload: dict[str, Any]) -> dict[str, Any]:
        text = payload.get("input", "").lower()
        scores = {label: sum(text.count(k) for k in keys) for label, keys in self.KEYWORDS.items()}
        best = max(scores, key=lambda label: (scores[label], label))
        return {"label": best if scores[best] else "other", "scores": scores}


class FailingAgent:
    name = "failing"

    async def run(self, context: UserExecutionContext, payload: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError(payload.get("reason", "agent failed"))


class AgentFactory:
    """Creates fresh agent instances per request (no shared mutable state)."""

    registry: dict[str, type] = {
        "echo": EchoAgent,
        "summarizer": SummarizerAgent,
        "classifier": ClassifierAgent,
        "failing": FailingAgent,
    }

    def create(self, name: str) -> Agent:
        try:
            return self.registry[name]()
        except KeyError:
            raise AgentNotFoundError(name) from None

    def available(self) -> list[str]:
        return sorted(self.registry)


@dataclass
class AgentRunResult:
    run_id: str
    user_id: str
    thread_id: str
    agent_name: str
    status: str
    output: dict[str, Any]
    duration_ms: float
    events: list[str] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "user_id": self.user_id,
            "thread_id": self.thread_id,
            "agent_name": self.agent_name,
            "status": self.status,
            "output": self.output,
            "duration_ms": self.duration_ms,
            "events": list(self.events),
            "error": self.error,
        }


class Supervisor:
    """Runs agents for one ``UserExecutionContext``.

    Dependencies are optional so that unit tests can build a bare supervisor.
    """

    def __init__(
        self,
        context: UserExecutionContext,
        *,
        agent_factory: AgentFactory | None = None,
        websocket_manager: Any = None,
        session_factory: Any = None,
        max_concurrent: int = 4,
    ) -> None:
        self.context = context
        self.agent_factory = agent_factory or AgentFactory()
        self.websocket_manager = websocket_manager
        self.session_factory = session_factory
        self.max_concurrent = max_concurrent
        self.results: list[AgentRunResult] = []
        self._semaphores: dict[int, asyncio.Semaphore] = {}
        self._sequence = itertools.count(1)
        self.closed = False

    @classmethod
    def for_request(cls, context: UserExecutionContext, **dependencies: Any) -> Supervisor:
        return cls(context, **dependencies)

    def _semaphore(self) -> asyncio.Semaphore:
        loop_id = id(asyncio.get_running_loop())
        if loop_id not in self._semaphores:
            self._semaphores[loop_id] = asyncio.Semaphore(self.max_concurrent)
        return self._semaphores[loop_id]

    async def _emit(self, result: AgentRunResult, event: str, **extra: Any) -> None:
        result.events.append(event)
        if self.websocket_manager is not None:
            message = {"event": event, "run_id": result.run_id, "agent": result.agent_name, **extra}
            await self.websocket_manager.send_to_user(self.context.user_id, message)

    def _persist(self, result: AgentRunResult, payload: dict[str, Any]) -> None:
        if self.session_factory is None:
            return
        with self.session_factory() as session:
            _run_repository()(session).record(
                id=result.run_id,
                user_id=result.user_id,
                thread_id=result.thread_id,
                agent_name=result.agent_name,
                status=result.status,
                input_text=str(payload.get("input", "")),
                output_text=str(result.output),
                duration_ms=result.duration_ms,
            )
            session.commit()

    async def run(self, agent_name: str, payload: dict[str, Any], *, run_id: str | None = None) -> AgentRunResult:
        if self.closed:
            raise RuntimeError("supervisor already shut down")
        agent = self.agent_factory.create(agent_name)
        context = self.context if run_id is None else self.context.child(run_id=run_id)
        result = AgentRunResult(
            run_id=context.run_id if run_id is not None else f"{context.run_id}-{next(self._sequence)}",
            user_id=context.user_id,
            thread_id=context.thread_id,
            agent_name=agent_name,
            status="running",
            output={},
            duration_ms=0.0,
        )
        async with self._semaphore():
            started = time.perf_counter()
            await self._emit(result, "agent_started")
            try:
                result.output = await agent.run(context, payload)
                result.status = "completed"
            except Exception as exc:  # noqa: BLE001 - reported to the user, not raised
                result.status = "failed"
                result.error = str(exc)
            result.duration_ms = round((time.perf_counter() - started) * 1000, 3)
            await self._emit(result, f"agent_{result.status}", status=result.status)
        self._persist(result, payload)
        self.results.append(result)
        return result

    async def run_many(self, agent_name: str, payloads: list[dict[str, Any]]) -> list[AgentRunResult]:
        return list(await asyncio.gather(*(self.run(agent_name, p) for p in payloads)))

    async def shutdown(self) -> None:
        self.closed = True
        self._semaphores.clear()
