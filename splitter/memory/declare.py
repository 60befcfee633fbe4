"""``memory_profile``: a fixture documents the memory impact it is expected to have.

The decorator only attaches a :class:`DeclaredProfile` to the function; it
changes nothing about how pytest runs the fixture. ``--fixture-memory`` reads
the declaration back from the function pytest stores and flags fixtures whose
measured impact exceeds what they declare.

Both orders work::

    @pytest.fixture                     @memory_profile("engine", "HIGH")
    @memory_profile("engine", "HIGH")   @pytest.fixture
    def engine(): ...                   def engine(): ...

pytest ≥ 8.4 wraps fixtures in a ``FixtureFunctionDefinition`` and keeps the
raw function for ``FixtureDef.func``; pytest 8.0–8.3 keep it behind
``__pytest_wrapped__``; pytest 7 stores the function itself. The declaration is
set on every layer, so whichever pytest reads carries it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from splitter.model import Impact

ATTRIBUTE = "_splitter_memory_profile"

F = TypeVar("F")


@dataclass(frozen=True)
class DeclaredProfile:
    """What a fixture's author says its setup costs."""

    description: str
    level: Impact


def parse_level(level: Impact | str) -> Impact:
    """An :class:`Impact` from itself or its name (``"high"``, ``"VERY_HIGH"``, ``"very-high"``)."""
    if isinstance(level, Impact):
        return level
    key = str(level).strip().upper().replace("-", "_").replace(" ", "_")
    try:
        return Impact[key]
    except KeyError:
        names = ", ".join(member.name for member in Impact)
        raise ValueError(
            f"unknown impact level {level!r}; expected one of {names}"
        ) from None


def memory_profile(
    description: str, level: Impact | str = Impact.MINIMAL
) -> Callable[[F], F]:
    """Declare a fixture's expected memory impact; returns the fixture unchanged."""
    declared = DeclaredProfile(description=description, level=parse_level(level))

    def decorate(function: F) -> F:
        for layer in layers(function):
            try:
                setattr(layer, ATTRIBUTE, declared)
            except (AttributeError, TypeError):  # a builtin or slotted object
                continue
        return function

    return decorate


def layers(obj: Any, limit: int = 8) -> Iterator[Any]:
    """The object and every function it wraps, outermost first, each once (at most ``limit``)."""
    seen: set[int] = set()
    pending = [obj]
    while pending and len(seen) < limit:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        getter = getattr(current, "_get_wrapped_function", None)
        if callable(getter):
            pending.append(getter())
        pytest_wrapped = getattr(current, "__pytest_wrapped__", None)
        pending.append(getattr(pytest_wrapped, "obj", None))
        pending.append(getattr(current, "__wrapped__", None))


def declared_profile(function: Callable[..., Any]) -> DeclaredProfile | None:
    """The declaration carried by a fixture function or anything it wraps, if any."""
    for layer in layers(function):
        declared = getattr(layer, ATTRIBUTE, None)
        if isinstance(declared, DeclaredProfile):
            return declared
    return None


def original_function(function: Callable[..., Any]) -> Callable[..., Any]:
    """The user's function under pytest's and pytest-asyncio's wrappers."""
    try:
        unwrapped: Callable[..., Any] = inspect.unwrap(function)
    except ValueError:  # a wrapper cycle
        return function
    return unwrapped
