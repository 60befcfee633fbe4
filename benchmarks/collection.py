"""2. What the split saves: collection peak RSS and wall time, before vs after, against a floor.

One collection is ``python -m pytest --collect-only -q [subset]`` in one process.
With pytest-xdist (``-n 2``) ``--collect-only`` is not distributed, so there it is
``python -m pytest -n 2 -k <matches nothing> [subset]``: the controller loads the
conftest, each worker imports every conftest and test module, then deselects
everything, and nothing runs. Peak RSS is that of the whole process tree.

The floor is the same command in an empty project (a pytest.ini and one trivial
test): what pytest and its plugins cost before any conftest. The share of
removable memory removed is (before − after) / (before − floor).
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from projects import Project
from sampling import run_measured
from stats import Cost, Costs, share_removed

SELECTS_NOTHING = "splitter_benchmark_selects_no_test"
MIN_REMOVABLE_MB = 5.0  # below this above the floor, a share removed is noise


class Mode(str, enum.Enum):
    SINGLE = "1 process"
    XDIST = "-n 2"

    def command(self, target: str) -> tuple[list[str], frozenset[int]]:
        """The pytest command that collects ``target`` ("" = the whole suite), and its exit codes."""
        base = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
        paths = [target] if target else []
        if self is Mode.SINGLE:
            return [*base, "--collect-only", *paths], frozenset({0})
        return [*base, "-n", "2", "-k", SELECTS_NOTHING, *paths], frozenset({5})


@dataclass(frozen=True)
class Collection:
    """One project, target and mode: before and after the split, and the floor."""

    project: str
    target: str  # "" for the whole suite
    mode: Mode
    before: Costs
    after: Costs
    floor: Costs

    @property
    def share(self) -> float:
        return share_removed(
            self.before.rss_mb.median,
            self.after.rss_mb.median,
            self.floor.rss_mb.median,
            MIN_REMOVABLE_MB,
        )

    @property
    def label(self) -> str:
        return self.target or "all tests"

    def as_json(self) -> dict[str, object]:
        share = self.share
        return {
            "project": self.project,
            "target": self.label,
            "mode": self.mode.value,
            "before": self.before.as_json(),
            "after": self.after.as_json(),
            "floor": self.floor.as_json(),
            "share_of_removable_memory_removed": None if share != share else round(share, 3),
        }


def measure_collections(
    projects: list[Project],
    empty: Path,
    repeat: int,
    corpus_repeat: int,
    log: Callable[[str], None],
) -> list[Collection]:
    """Collect every project before and after, in both modes, interleaved round by round.

    The monolith (the first project) and the floor get ``repeat`` rounds; the
    small corpora ``corpus_repeat`` rounds.
    """
    floors: dict[Mode, list[Cost]] = {mode: [] for mode in Mode}
    runs: dict[tuple[str, str, Mode, str], list[Cost]] = {}
    command, accept = Mode.SINGLE.command("")
    for tree in (empty, projects[0].before, projects[0].after):  # warm pytest's rewritten asserts
        run_measured(command, cwd=tree, accept=accept)
    for round_number in range(max(repeat, corpus_repeat)):
        for mode in Mode:
            if round_number < repeat:
                command, accept = mode.command("")
                floors[mode].append(run_measured(command, cwd=empty, accept=accept).cost)
        for index, project in enumerate(projects):
            if round_number >= (repeat if index == 0 else corpus_repeat):
                continue
            for target in ("", *project.subsets):
                for mode in Mode:
                    command, accept = mode.command(target)
                    for state, tree in (("before", project.before), ("after", project.after)):
                        cost = run_measured(command, cwd=tree, accept=accept).cost
                        runs.setdefault((project.name, target, mode, state), []).append(cost)
            log(f"collection {round_number + 1}: {project.name}")
    floor_costs = {mode: Costs(tuple(floors[mode])) for mode in Mode}
    return [
        Collection(
            project.name,
            target,
            mode,
            Costs(tuple(runs[(project.name, target, mode, "before")])),
            Costs(tuple(runs[(project.name, target, mode, "after")])),
            floor_costs[mode],
        )
        for project in projects
        for target in ("", *project.subsets)
        for mode in Mode
    ]
