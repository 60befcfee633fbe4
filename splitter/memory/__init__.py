"""Memory instrumentation for pytest suites: where a suite's memory goes, per fixture.

- :mod:`splitter.memory.plugin` — the pytest plugin (entry point ``splitter_memory``):
  ``--fixture-memory``, ``--fixture-memory-json``, the ``memory_reporter`` fixture;
- :func:`memory_profile` — a decorator a fixture carries to declare its expected impact;
- :mod:`splitter.memory.records` — what is measured (frozen dataclasses, merge, JSON);
- :mod:`splitter.memory.profile` / :mod:`splitter.memory.document` — ``splitter profile``.

The plugin is imported by every pytest run of a project that has splitter
installed, and importing it imports this package: so this package imports
nothing itself, and ``memory_profile`` is loaded on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from splitter.memory.declare import DeclaredProfile, memory_profile

__all__ = ["DeclaredProfile", "memory_profile"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from splitter.memory import declare

        return getattr(declare, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
