"""Charging RSS growth, wall time and new imports to whatever is running innermost.

A :class:`Ledger` holds a stack of open frames (a fixture setup, a conftest
import, a package import, a collected file). At every boundary — a frame
opening or closing — it samples RSS and the clock once and charges the change
since the previous boundary to the frame on top of the stack. So nested work is
counted once, in the frame that did it (*self*), and a frame's *inclusive* cost
is simply the change between its own opening and closing samples.

What RSS can and cannot say: it moves in pages and allocator arenas, so a
frame that allocates a few kilobytes may show 0 MB, and memory freed earlier
can be reused without RSS growing; a frame that frees more than it allocates
shows a negative delta. Large allocations and imports show faithfully.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import NamedTuple
from itertools import islice

from splitter.memory.records import MB
from splitter.memory.sampling import RssReader


class ModuleWatch:
    """Tells which modules appeared in ``sys.modules`` since it last looked.

    ``sys.modules`` is a dict, so new imports are appended at its end: when its
    size and last key are unchanged nothing was imported (O(1)); when it only
    grew, the new names are its last entries (O(new)); otherwise — modules were
    also removed — every name is checked.
    """

    def __init__(self) -> None:
        self._known = set(sys.modules)
        self._size = len(sys.modules)
        self._last = _last_key()
        self.total = 0  # modules seen appearing since the watch started

    def fresh(self) -> list[str]:
        """Modules imported since the previous call, in import order."""
        modules = sys.modules
        size, last = len(modules), _last_key()
        if size == self._size and last == self._last:
            return []
        grown = size - self._size
        tail = list(islice(reversed(modules), grown)) if grown > 0 else []
        new = [name for name in reversed(tail) if name not in self._known]
        if (
            grown <= 0 or len(new) != grown
        ):  # something was removed too: look at everything
            new = [name for name in list(modules) if name not in self._known]
        self._known.update(new)
        self._size, self._last = size, last
        self.total += len(new)
        return new


def _last_key() -> str | None:
    return next(reversed(sys.modules), None)


@dataclass(slots=True)
class _Frame:
    key: Hashable
    start_rss: int
    start_time: float
    start_modules: int
    self_bytes: int = 0
    self_seconds: float = 0.0
    modules: list[str] = field(default_factory=list)


class Closed(NamedTuple):
    """A frame's measured cost, returned when it closes (a NamedTuple: one is made per
    fixture setup, and it is several times cheaper to build than a frozen dataclass)."""

    key: Hashable
    self_mb: float  # RSS growth while it was the innermost frame
    inclusive_mb: float  # RSS growth from its opening to its closing
    self_seconds: float
    seconds: float  # inclusive
    modules: tuple[str, ...]  # imported while it was the innermost frame
    modules_total: int = 0  # imported while it was open, nested frames included


class Ledger:
    """A stack of open frames and the charges made to them."""

    def __init__(
        self,
        rss: RssReader,
        clock: Callable[[], float] = time.perf_counter,
        modules: ModuleWatch | None = None,
    ) -> None:
        self._rss = rss
        self._clock = clock
        self.modules = modules or ModuleWatch()
        self._stack: list[_Frame] = []
        self._last_rss = rss()
        self._last_time = clock()

    def _settle(self) -> tuple[int, float]:
        """Sample once and charge everything since the last sample to the top frame."""
        now_rss, now = self._rss(), self._clock()
        fresh = self.modules.fresh()
        if self._stack:
            top = self._stack[-1]
            top.self_bytes += now_rss - self._last_rss
            top.self_seconds += now - self._last_time
            top.modules.extend(fresh)
        self._last_rss, self._last_time = now_rss, now
        return now_rss, now

    def push(self, key: Hashable) -> None:
        """Open a frame: from now on, work is charged to it."""
        now_rss, now = self._settle()
        self._stack.append(_Frame(key, now_rss, now, self.modules.total))

    def pop(self) -> Closed:
        """Close the innermost frame and return its cost."""
        now_rss, now = self._settle()
        frame = self._stack.pop()
        return Closed(
            key=frame.key,
            self_mb=frame.self_bytes / MB,
            inclusive_mb=(now_rss - frame.start_rss) / MB,
            self_seconds=frame.self_seconds,
            seconds=now - frame.start_time,
            modules=tuple(frame.modules),
            modules_total=self.modules.total - frame.start_modules,
        )

    def open_keys(self) -> tuple[Hashable, ...]:
        """The keys of the frames still open, outermost first."""
        return tuple(frame.key for frame in self._stack)

    def sample(self) -> int:
        """The current RSS in bytes (charged like any boundary)."""
        return self._settle()[0]
