"""The split modules and which imports are heavy (pure).

One module per tier (``conftest_base``, ``conftest_mocks``, ``conftest_services``,
``conftest_real_services``, ``conftest_e2e``, only those the suite has): the shape a
person splitting the conftest by hand would give it. Load by need is a property of
imports, not of the file count: a heavy import that only function bodies read moves
into those bodies (:mod:`splitter.render.localize`), so importing a tier module is
cheap and a test pays only for the heavy imports of the fixtures it sets up.
docs/LAZY_UNITS.md has the design and what replaced 0.1.0's modules per heavy import.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from splitter.analyze.impact import KNOWN_IMPORTS, LEVEL_MB
from splitter.model import ModuleCost
from splitter.settings import Group


@dataclass(frozen=True)
class Unit:
    """One split module: a tier and its file stem (``conftest_services``)."""

    group: Group
    stem: str
    needs: tuple[str, ...] = ()  # kept for 0.1.0 splits read back by sync; empty for new splits


def static_costs() -> dict[str, ModuleCost]:
    """Typical costs of well-known heavy packages, to tell heavy imports when nothing is measured."""
    return {top: ModuleCost(top, LEVEL_MB[level], None, loads=(top,)) for top, level in KNOWN_IMPORTS.items()}


def unit_order(units: Iterable[Unit]) -> tuple[Unit, ...]:
    """Distinct modules, cheapest tier first."""
    order = tuple(Group)
    return tuple(sorted(set(units), key=lambda u: (order.index(u.group), len(u.needs), u.stem)))


def is_heavy(module: str, level: int, costs: Mapping[str, ModuleCost], threshold: float) -> bool:
    """Whether importing ``module`` (as a conftest writes it) costs at least ``threshold`` MB.

    The standard library and relative imports never count; a module without its own
    figure takes its nearest measured package's (``redis.asyncio`` → ``redis``).
    """
    parts = module.split(".")
    if level > 0 or not module or parts[0] in sys.stdlib_module_names:
        return False
    for end in range(len(parts), 0, -1):
        cost = costs.get(".".join(parts[:end]))
        if cost is not None and cost.megabytes is not None:
            return cost.megabytes >= threshold
    return False
