"""5. Run memory per tier: each tier of the monolith before and after the split, and at its need floor.

For each tier (``tests/unit``, ``tests/db_only``, ``tests/integration``, ``tests/e2e``
and the whole suite), ``python -m pytest -q TIER``: peak RSS of the process tree and
wall time, before (the monolith as shipped), after (split), and at the **need floor**:
the unsplit tree again, but the conftest imports only the modules the tier's test
modules and the closures of its fixtures need, as splitter's analysis finds them
(``tests/tiers.py``, ``tests/plugins/need_floor.py``); every other module the
conftest imports gets an empty stand-in, for the conftest alone. The floor run must
pass, which proves nothing it needed was left out. Rounds are interleaved
(before, after, floor). "avoidable removed" = (before − after) / (before − floor).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from projects import Project
from sampling import run_measured
from stats import Cost, Costs, share_removed

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.tiers import PYTEST, floor_command, needed_modules, plugin_env, tier_fixtures  # noqa: E402

MB = 1024 * 1024
TIERS = (
    ("unit", "tests/unit"),
    ("db-only", "tests/db_only"),
    ("integration", "tests/integration"),
    ("e2e", "tests/e2e"),
    ("whole suite", ""),
)


@dataclass(frozen=True)
class TierRun:
    """One tier measured three ways."""

    name: str
    path: str
    before: Costs
    after: Costs
    floor: Costs

    @property
    def removed(self) -> float:
        """Share of the avoidable run memory (before − floor) the split removed."""
        return share_removed(self.before.rss_mb.median, self.after.rss_mb.median, self.floor.rss_mb.median, 2.0)

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path or "(testpaths)",
            "before": self.before.as_json(),
            "after": self.after.as_json(),
            "need_floor": self.floor.as_json(),
            "avoidable_removed": round(self.removed, 4),
        }


def measure_tiers(monolith: Project, repeat: int, log: Callable[[str], None]) -> list[TierRun]:
    """Every tier of the monolith before, after and at its need floor, interleaved."""
    runs: list[TierRun] = []
    conftest = monolith.before / monolith.conftest
    for name, path in TIERS:
        need = needed_modules(conftest, path, tier_fixtures(monolith.before, path))
        floor_cmd, floor_env = floor_command(monolith.before, path, need)
        plain = [*PYTEST, *([path] if path else [])]
        env = plugin_env({})
        costs: dict[str, list[Cost]] = {"before": [], "after": [], "floor": []}
        for round_number in range(repeat):
            costs["before"].append(run_measured(plain, cwd=monolith.before, env=env).cost)
            costs["after"].append(run_measured(plain, cwd=monolith.after, env=env).cost)
            costs["floor"].append(run_measured(floor_cmd, cwd=monolith.before, env=floor_env).cost)
            log(
                f"tier {name} {round_number + 1}/{repeat}: before {costs['before'][-1].rss / MB:.0f} MB, "
                f"after {costs['after'][-1].rss / MB:.0f} MB, floor {costs['floor'][-1].rss / MB:.0f} MB"
            )
        runs.append(
            TierRun(name, path, Costs(tuple(costs["before"])), Costs(tuple(costs["after"])), Costs(tuple(costs["floor"])))
        )
    return runs


def tier_table(runs: list[TierRun]) -> str:
    """The per-tier run table: peak RSS and wall time before → after, the need floor, what went."""
    from tables import percent, table

    rows = []
    for run in runs:
        before, after, floor = run.before.rss_mb.median, run.after.rss_mb.median, run.floor.rss_mb.median
        rows.append(
            [
                run.name,
                f"{before:.0f} → {after:.0f} MB",
                percent(after / before - 1, signed=True),
                f"{floor:.0f} MB",
                percent(run.removed),
                f"{run.before.wall.median:.2f} → {run.after.wall.median:.2f} s",
                percent(run.after.wall.median / run.before.wall.median - 1, signed=True),
                f"{run.floor.wall.median:.2f} s",
            ]
        )
    header = ["tier", "peak RSS", "change", "need floor", "avoidable removed", "wall time", "change", "floor wall"]
    return table(header, rows)
