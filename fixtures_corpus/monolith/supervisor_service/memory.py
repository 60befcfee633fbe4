"""Memory bookkeeping: per-session conversation memory and an optimizer."""

from __future__ import annotations

import gc
import sys
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import psutil


class Clearable(Protocol):
    def clear(self) -> None: ...

    def __len__(self) -> int: ...


@dataclass
class _SessionMemory:
    items: deque = field(default_factory=deque)
    size_bytes: int = 0
    last_access: float = 0.0


class SessionMemoryManager:
    """Bounded in-process memory for chat sessions.

    * at most ``max_items`` items per session (oldest dropped first)
    * at most ``max_sessions`` sessions (least recently used evicted)
    * sessions idle for ``ttl_seconds`` are dropped by :meth:`expire`
    """

    def __init__(
        self,
        *,
        max_sessions: int = 128,
        max_items: int = 50,
        ttl_seconds: float = 1800.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_sessions = max_sessions
        self.max_items = max_items
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        self._sessions: OrderedDict[str, _SessionMemory] = OrderedDict()
        self.evictions = 0

    def add(self, session_id: str, item: Any) -> None:
        memory = self._sessions.get(session_id)
        if memory is None:
            memory = self._sessions[session_id] = _SessionMemory()
        self._sessions.move_to_end(session_id)
        memory.items.append(item)
        memory.size_bytes += sys.getsizeof(item)
        while len(memory.items) > self.max_items:
            dropped = memory.items.popleft()
            memory.size_bytes -= sys.getsizeof(dropped)
        memory.last_access = self.clock()
        while len(self._sessions) > self.max_sessions:
            self._sessions.popitem(last=False)
            self.evictions += 1

    def get(self, session_id: str) -> list[Any]:
        memory = self._sessions.get(session_id)
        if memory is None:
            return []
        memory.last_access = self.clock()
        self._sessions.move_to_end(session_id)
        return list(memory.items)

    def clear_session(self, session_id: str) -> bool:
        return self._sessions.pop(session_id, None) is not None

    def expire(self) -> list[str]:
        now = self.clock()
        expired = [sid for sid, m in self._sessions.items() if now - m.last_access > self.ttl_seconds]
        for sid in expired:
            del self._sessions[sid]
        return expired

    def clear(self) -> None:
        self._sessions.clear()

    def __len__(self) -> int:
        return len(self._sessions)

    def __contains__(self, session_id: object) -> bool:
        return session_id in self._sessions

    def stats(self) -> dict[str, int]:
        return {
            "sessions": len(self._sessions),
            "items": sum(len(m.items) for m in self._sessions.values()),
            "bytes": sum(m.size_bytes for m in self._sessions.values()),
            "evictions": self.evictions,
        }


@dataclass(frozen=True)
class MemorySnapshot:
    rss_mb: float
    gc_counts: tuple[int, int, int]
    tracked_entries: int


@dataclass(frozen=True)
class OptimizationReport:
    before: MemorySnapshot
    after: MemorySnapshot
    cleared_caches: tuple[str, ...]
    collected_objects: int

    @property
    def entries_freed(self) -> int:
        return self.before.tracked_entries - self.after.tracked_entries


class MemoryOptimizationService:
    """Clears registered caches when the process goes over a soft RSS limit."""

    def __init__(
        self, *, soft_limit_mb: float = 1024.0, gc_generation: int = 2, process: psutil.Process | None = None
    ) -> None:
        self.soft_limit_mb = soft_limit_mb
        self.gc_generation = gc_generation
        self.process = process or psutil.Process()
        self._caches: dict[str, Clearable] = {}
        self.reports: list[OptimizationReport] = []

    def register_cache(self, name: str, cache: Clearable) -> None:
        if name in self._caches:
            raise ValueError(f"cache {name!r} already registered")
        self._caches[name] = cache

    def unregister_cache(self, name: str) -> None:
        self._caches.pop(name, None)

    @property
    def cache_names(self) -> list[str]:
        return sorted(self._caches)

    def current_rss_mb(self) -> float:
        return self.process.memory_info().rss / (1024 * 1024)

    def snapshot(self) -> MemorySnapshot:
        return MemorySnapshot(
            rss_mb=round(self.current_rss_mb(), 2),
            gc_counts=tuple(gc.get_count()),
            tracked_entries=sum(len(cache) for cache in self._caches.values()),
        )

    def is_over_limit(self) -> bool:
        return self.current_rss_mb() > self.soft_limit_mb

    def optimize(self, *, force: bool = False) -> OptimizationReport | None:
        if not force and not self.is_over_limit():
            return None
        before = self.snapshot()
        cleared = []
        for name, cache in self._caches.items():
            if len(cache):
                cache.clear()
                cleared.append(name)
        collected = gc.collect(self.gc_generation)
        report = OptimizationReport(before, self.snapshot(), tuple(cleared), collected)
        self.reports.append(report)
        return report
