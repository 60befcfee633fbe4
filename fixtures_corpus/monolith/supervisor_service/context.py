"""Per-request execution context.

A ``UserExecutionContext`` is created for every request and handed to the
supervisor and agents.  It is immutable so that an agent cannot "borrow"
another user's identity half way through a run.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

# Values that showed up in production when a caller forgot to pass a real id.
_PLACEHOLDER_IDS = frozenset({"", "none", "null", "undefined", "registry", "placeholder"})


class InvalidContextError(ValueError):
    """Raised when a context is built from missing or placeholder identifiers."""


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class UserExecutionContext:
    user_id: str
    thread_id: str
    run_id: str
    request_id: str
    metadata: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        for name in ("user_id", "thread_id", "run_id", "request_id"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise InvalidContextError(f"{name} must be a string, got {type(value).__name__}")
            if value.strip().lower() in _PLACEHOLDER_IDS:
                raise InvalidContextError(f"{name} has placeholder value {value!r}")
        if not isinstance(self.metadata, MappingProxyType):
            object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    @classmethod
    def create(
        cls,
        user_id: str,
        *,
        thread_id: str | None = None,
        run_id: str | None = None,
        request_id: str | None = None,
        **metadata: Any,
    ) -> UserExecutionContext:
        return cls(
            user_id=user_id,
            thread_id=thread_id or _new_id("thread"),
            run_id=run_id or _new_id("run"),
            request_id=request_id or _new_id("req"),
            metadata=MappingProxyType(dict(metadata)),
        )

    def child(self, **changes: Any) -> UserExecutionContext:
        """Derive a context for a sub-request: same user/thread, fresh request id."""
        changes.setdefault("request_id", _new_id("req"))
        return dataclasses.replace(self, **changes)

    @property
    def isolation_key(self) -> str:
        return f"{self.user_id}:{self.thread_id}:{self.run_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "thread_id": self.thread_id,
            "run_id": self.run_id,
            "request_id": self.request_id,
            "metadata": dict(self.metadata),
        }
