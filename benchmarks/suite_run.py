"""3. Run-time effect and 4. verification cost, on the monolith.

3. The whole suite, ``python -m pytest -q``, before vs after the split (wall and
   CPU time, peak RSS of the process tree), interleaved. The lazy loader adds
   one stub call per lazily loaded fixture and imports each heavy module once,
   when a test first needs it: a full run should cost about what it did (goal:
   no more than 5 % slower).
4. ``splitter verify tests/conftest.py --against before.json`` (collect mode:
   one pytest run with the snapshot plugin, then the comparison) on the split
   tree, against one plain ``python -m pytest --collect-only -q`` of the same tree.
   The snapshot was saved from the unsplit copy with ``splitter verify --save``.
5. ``splitter migrate tests/conftest.py --yes -- SUBSET`` as a user runs it by default
   (import costs measured, the API, namespace, configuration and every outcome of
   SUBSET verified before and after), against one plain ``python -m pytest SUBSET``
   of the unsplit monolith; ``-n 2`` in both when pytest-xdist is installed, as the
   monolith lists it. Goal: migrate at most 2.5x the plain run.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from projects import IGNORED, Project
from sampling import run_measured
from stats import Cost, Costs, ratio

PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]


@dataclass(frozen=True)
class Comparison:
    """Two commands measured in turn, ``repeat`` times."""

    name: str
    first_label: str
    second_label: str
    first: Costs
    second: Costs

    def change(self, field: str) -> float:
        """second / first − 1 of the medians of 'wall', 'cpu' or 'rss'."""
        def median(costs: Costs) -> float:
            return {"wall": costs.wall, "cpu": costs.cpu, "rss": costs.rss_mb}[field].median

        return ratio(median(self.second), median(self.first)) - 1

    def as_json(self) -> dict[str, object]:
        return {
            self.first_label: self.first.as_json(),
            self.second_label: self.second.as_json(),
            "change_wall": round(self.change("wall"), 4),
            "change_cpu": round(self.change("cpu"), 4),
            "change_peak_rss": round(self.change("rss"), 4),
        }


FULL_RUN_ROUNDS = 7  # at least: one run takes ~5 s and varies by ±10 % on a shared machine


def measure_full_run(monolith: Project, repeat: int, log: Callable[[str], None]) -> Comparison:
    """The whole monolith suite before and after the split, in alternating order (ABBA)."""
    command = [*PYTEST, "-q"]
    first: list[Cost] = []
    second: list[Cost] = []
    repeat = max(repeat, FULL_RUN_ROUNDS)
    for round_number in range(repeat):
        if round_number % 2:
            second.append(run_measured(command, cwd=monolith.after).cost)
            first.append(run_measured(command, cwd=monolith.before).cost)
        else:
            first.append(run_measured(command, cwd=monolith.before).cost)
            second.append(run_measured(command, cwd=monolith.after).cost)
        log(
            f"full run {round_number + 1}/{repeat}: before {first[-1].cpu:.2f} s CPU, "
            f"after {second[-1].cpu:.2f} s CPU"
        )
    return Comparison("full run", "before", "after", Costs(tuple(first)), Costs(tuple(second)))


def measure_verify(monolith: Project, repeat: int, log: Callable[[str], None]) -> Comparison:
    """``splitter verify --against`` a snapshot, against one plain collection."""
    snapshot = monolith.before.parent / f"{monolith.name}-api.json"
    splitter = [sys.executable, "-m", "splitter", "verify", monolith.conftest]
    if not snapshot.exists():
        run_measured([*splitter, "--save", str(snapshot)], cwd=monolith.before)
    verify = [*splitter, "--against", str(snapshot)]
    collect = [*PYTEST, "--collect-only", "-q"]
    first: list[Cost] = []
    second: list[Cost] = []
    for round_number in range(repeat):
        first.append(run_measured(collect, cwd=monolith.after).cost)
        second.append(run_measured(verify, cwd=monolith.after).cost)
        log(
            f"verify {round_number + 1}/{repeat}: collect {first[-1].wall:.2f} s, "
            f"verify {second[-1].wall:.2f} s"
        )
    return Comparison(
        "verify", "pytest --collect-only", "splitter verify --against", Costs(tuple(first)), Costs(tuple(second))
    )


MIGRATE_SUBSET = ("tests",)
MIGRATE_GOAL = 2.5  # default migrate CPU time, at most this many plain pytest runs


@dataclass(frozen=True)
class MigrateRound:
    """One round of section 5: a plain pytest run and the default migrate, each on a fresh copy."""

    pytest: Cost
    migrate: Cost
    exit_code: int  # of the migrate: 0 = the split was verified and kept
    load: float  # 1-minute load average when the round started
    warm_cache: bool  # whether the import-cost cache had entries already

    def as_json(self) -> dict[str, object]:
        return {
            "pytest": {"wall_s": round(self.pytest.wall, 3), "cpu_s": round(self.pytest.cpu, 3)},
            "migrate": {"wall_s": round(self.migrate.wall, 3), "cpu_s": round(self.migrate.cpu, 3)},
            "ratio_cpu": round(ratio(self.migrate.cpu, self.pytest.cpu), 3),
            "ratio_wall": round(ratio(self.migrate.wall, self.pytest.wall), 3),
            "exit_code": self.exit_code,
            "load_average": round(self.load, 2),
            "import_cost_cache": "warm" if self.warm_cache else "cold",
        }


@dataclass(frozen=True)
class MigrateCost:
    """Section 5: the medians over the rounds, and every round."""

    comparison: Comparison
    rounds: tuple[MigrateRound, ...]

    @property
    def kept(self) -> bool:
        """Whether every round's migrate exited 0 (verified, split kept)."""
        return all(r.exit_code == 0 for r in self.rounds)

    def as_json(self) -> dict[str, object]:
        return {
            **self.comparison.as_json(),
            "ratio_cpu": round(self.comparison.change("cpu") + 1, 3),
            "ratio_wall": round(self.comparison.change("wall") + 1, 3),
            "goal_cpu_ratio": MIGRATE_GOAL,
            "all_exit_0": self.kept,
            "rounds": [r.as_json() for r in self.rounds],
        }


def measure_migrate(monolith: Path, scratch: Path, repeat: int, log: Callable[[str], None]) -> MigrateCost:
    """The default migrate of a fresh monolith copy against one plain pytest run of the subset.

    Each round copies the monolith twice (the migrate changes its copy), and the
    order alternates between rounds, so neither command always runs on a warmer
    machine. A migrate that exits 1 (rolled back) is logged, not hidden.
    """
    from splitter.analyze.cache import default_cache_dir

    xdist = ("-n", "2") if importlib.util.find_spec("xdist") else ()
    subset = (*xdist, *MIGRATE_SUBSET)
    pytest_run = [*PYTEST, "-q", *subset]
    migrate = [sys.executable, "-m", "splitter", "migrate", "tests/conftest.py", "--yes", "--", *subset]
    rounds: list[MigrateRound] = []
    for round_number in range(repeat):
        copies = []
        for side in ("pytest", "migrate"):
            copy = scratch / f"migrate-{round_number}-{side}" / monolith.name
            shutil.copytree(monolith, copy, ignore=IGNORED)
            compileall.compile_dir(copy, quiet=2)
            copies.append(copy)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        warm = any(default_cache_dir().glob("*.json"))

        def plain() -> Cost:
            return run_measured(pytest_run, cwd=copies[0]).cost

        def migrated() -> tuple[Cost, int]:
            finished = run_measured(migrate, cwd=copies[1], accept=frozenset({0, 1}))  # 1: rolled back
            return finished.cost, finished.exit_code

        if round_number % 2:
            (migrate_cost, code), pytest_cost = migrated(), plain()
        else:
            pytest_cost, (migrate_cost, code) = plain(), migrated()
        rounds.append(MigrateRound(pytest_cost, migrate_cost, code, load, warm))
        log(
            f"migrate {round_number + 1}/{repeat} (load {load:.1f}): pytest {pytest_cost.wall:.2f} s wall, "
            f"{pytest_cost.cpu:.2f} s CPU; migrate (exit {code}) {migrate_cost.wall:.2f} s wall, "
            f"{migrate_cost.cpu:.2f} s CPU; {ratio(migrate_cost.cpu, pytest_cost.cpu):.2f}x CPU"
        )
    comparison = Comparison(
        "migrate",
        f"pytest {' '.join(subset)}",
        "splitter migrate (default)",
        Costs(tuple(r.pytest for r in rounds)),
        Costs(tuple(r.migrate for r in rounds)),
    )
    return MigrateCost(comparison, tuple(rounds))
