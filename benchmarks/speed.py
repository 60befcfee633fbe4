"""1. Tool speed: a dry-run migration against parsing and formatting the same source.

The tool is :func:`splitter.migrate.migration.prepare_migration` with ``measure=False``
(what ``splitter migrate --dry-run --no-verify --no-measure`` runs, minus the
diff and the terminal), called in this interpreter. The floor is the least any
tool of this kind must do with the same source in the same interpreter:
``libcst.parse_module`` once and ``black.format_str`` once. Both are timed in
turn, interleaved, on the monolith and on synthetic conftests of growing size;
the exponent of time against lines (log-log least squares over the synthetic
sizes) says whether the tool grows linearly. The CLI is timed once on the
monolith against the same floor run as a fresh ``python -c``.

splitter makes the garbage collector's full collections rarer while it works
(``splitter.gcpolicy``). The floor is timed both ways: as the issue defines it,
with Python's defaults, and under the same policy, so the table shows how much
of the ratio is less work and how much is the policy.
"""

from __future__ import annotations

import gc
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import black
import libcst as cst

from sampling import run_measured
from stats import Cost, Costs, loglog_slope, ratio
from synthetic import write_project

SIZES = (500, 1_500, 5_000, 15_000)
QUICK_SIZES = (500, 1_500)

FLOOR_SCRIPT = (
    "import sys, libcst, black; source = open(sys.argv[1]).read(); "
    "libcst.parse_module(source); black.format_str(source, mode=black.Mode())"
)


@dataclass(frozen=True)
class SpeedCase:
    """One conftest timed: the tool and the floor, repeated."""

    name: str
    lines: int
    tool: Costs
    floor: Costs
    floor_same_gc: Costs  # the floor under splitter's garbage-collector policy
    synthetic: bool

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "lines": self.lines,
            "synthetic": self.synthetic,
            "tool": self.tool.as_json(),
            "floor": self.floor.as_json(),
            "floor_same_gc": self.floor_same_gc.as_json(),
            "ratio_cpu": round(ratio(self.tool.cpu.median, self.floor.cpu.median), 2),
            "ratio_cpu_same_gc": round(
                ratio(self.tool.cpu.median, self.floor_same_gc.cpu.median), 2
            ),
            "ratio_wall": round(
                ratio(self.tool.wall.median, self.floor.wall.median), 2
            ),
        }


@dataclass(frozen=True)
class CliRun:
    """The CLI run once on the monolith, against the floor in a fresh interpreter."""

    tool: Cost
    floor: Cost

    def as_json(self) -> dict[str, object]:
        return {
            "command": "splitter migrate tests/conftest.py --dry-run --no-verify --no-measure",
            "tool": {"wall_s": round(self.tool.wall, 3), "cpu_s": round(self.tool.cpu, 3)},
            "floor": {"wall_s": round(self.floor.wall, 3), "cpu_s": round(self.floor.cpu, 3)},
            "ratio_cpu": round(ratio(self.tool.cpu, self.floor.cpu), 2),
        }


@dataclass(frozen=True)
class SpeedResult:
    cases: tuple[SpeedCase, ...]
    cli: CliRun | None

    def exponent(self, part: str) -> float:
        """How the median CPU time of ``part`` ('tool' or 'floor') grows with lines."""
        synthetic = [c for c in self.cases if c.synthetic]
        if len(synthetic) < 2:
            return float("nan")
        costs = [c.tool if part == "tool" else c.floor for c in synthetic]
        return loglog_slope([c.lines for c in synthetic], [c.cpu.median for c in costs])

    def as_json(self) -> dict[str, object]:
        return {
            "cases": [c.as_json() for c in self.cases],
            "exponent_cpu": {
                "tool": round(self.exponent("tool"), 3),
                "floor": round(self.exponent("floor"), 3),
            },
            "cli": self.cli.as_json() if self.cli else None,
        }


def timed(action: Callable[[], object]) -> Cost:
    """Wall and CPU seconds of ``action()``, from a freshly collected heap."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return Cost(time.perf_counter() - wall, time.process_time() - cpu)


def floor(source: str) -> None:
    """What any libcst + black tool must do at least: parse once, format once."""
    cst.parse_module(source)
    black.format_str(source, mode=black.Mode())


def floor_same_gc(source: str) -> None:
    """The floor under the garbage-collector policy splitter runs with."""
    from splitter.gcpolicy import fewer_full_collections

    with fewer_full_collections():
        floor(source)


def tool(conftest: Path) -> None:
    from splitter.migrate.migration import MigrateSettings, prepare_migration

    if prepare_migration(MigrateSettings(conftest, measure=False)) is None:
        raise RuntimeError(f"{conftest}: splitter found nothing to migrate")


def measure_speed(
    monolith: Path, scratch: Path, repeat: int, quick: bool, log: Callable[[str], None]
) -> SpeedResult:
    """Time the tool and the floor on the monolith and on synthetic conftests."""
    inputs: list[tuple[str, Path, bool]] = []
    copy = scratch / "speed-monolith"
    shutil.copytree(monolith, copy, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    inputs.append(("monolith", copy / "tests" / "conftest.py", False))
    for size in QUICK_SIZES if quick else SIZES:
        conftest = write_project(scratch / f"synthetic-{size}", size)
        inputs.append((f"synthetic {size}", conftest, True))
    log("speed: warming up (imports, black's caches)")
    tool(inputs[1][1])
    floor(inputs[1][1].read_text())
    samples: dict[str, tuple[list[Cost], list[Cost], list[Cost]]] = {
        n: ([], [], []) for n, _, _ in inputs
    }
    for round_number in range(repeat):
        for name, conftest, _ in inputs:
            source = conftest.read_text()
            floor_cost = timed(lambda: floor(source))
            tool_cost = timed(lambda: tool(conftest))
            samples[name][2].append(timed(lambda: floor_same_gc(source)))
            samples[name][0].append(tool_cost)
            samples[name][1].append(floor_cost)
            log(
                f"speed {round_number + 1}/{repeat} {name}: tool {tool_cost.cpu:.2f} s CPU, "
                f"floor {floor_cost.cpu:.2f} s CPU"
            )
    cases = tuple(
        SpeedCase(
            name,
            conftest.read_text().count("\n"),
            Costs(tuple(samples[name][0])),
            Costs(tuple(samples[name][1])),
            Costs(tuple(samples[name][2])),
            synthetic,
        )
        for name, conftest, synthetic in inputs
    )
    return SpeedResult(cases, measure_cli(inputs[0][1], log))


def measure_cli(conftest: Path, log: Callable[[str], None]) -> CliRun:
    """``splitter migrate --dry-run --no-verify --no-measure`` once, and the floor once."""
    project = conftest.parent.parent
    command = [sys.executable, "-m", "splitter", "migrate", "tests/conftest.py"]
    cli = run_measured(
        [*command, "--dry-run", "--no-verify", "--no-measure"], cwd=project
    )
    base = run_measured([sys.executable, "-c", FLOOR_SCRIPT, str(conftest)], cwd=project)
    log(f"speed: CLI {cli.cost.cpu:.2f} s CPU, floor {base.cost.cpu:.2f} s CPU")
    return CliRun(cli.cost, base.cost)
