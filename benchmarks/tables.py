"""The benchmark results as Markdown tables (printed, and saved beside the JSON)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from collection import Collection, Mode
from speed import SpeedResult
from stats import Spread, ratio
from suite_run import MIGRATE_GOAL, Comparison, MigrateCost


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1) -> str:
    """A Markdown table; columns from ``right_from`` on are right-aligned."""
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    lines = [header, align, *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def spread(value: Spread, digits: int = 2, unit: str = "") -> str:
    """``median (min–max)``, or just the median of a single value."""
    median = f"{value.median:.{digits}f}{unit}"
    if value.count < 2:
        return median
    return f"{median} ({value.low:.{digits}f}–{value.high:.{digits}f})"


def percent(value: float, signed: bool = False) -> str:
    """``value`` as a percentage ("—" for NaN; never "-0 %")."""
    if math.isnan(value):
        return "—"
    shown = round(value * 100, 1 if signed else 0) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{shown:+.1f} %" if signed else f"{shown:.0f} %"


def times(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.2f}×"


def speed_table(result: SpeedResult) -> str:
    rows = [
        [
            case.name,
            f"{case.lines:,}",
            spread(case.tool.cpu),
            spread(case.floor.cpu),
            f"**{times(ratio(case.tool.cpu.median, case.floor.cpu.median))}**",
            spread(case.floor_same_gc.cpu),
            times(ratio(case.tool.cpu.median, case.floor_same_gc.cpu.median)),
            spread(case.tool.wall),
            spread(case.floor.wall),
            times(ratio(case.tool.wall.median, case.floor.wall.median)),
        ]
        for case in result.cases
    ]
    text = table(
        [
            "conftest",
            "lines",
            "tool CPU s",
            "floor CPU s",
            "ratio CPU",
            "floor CPU s, splitter's GC policy",
            "ratio CPU, same policy",
            "tool wall s",
            "floor wall s",
            "ratio wall",
        ],
        rows,
    )
    text += (
        f"\n\nGrowth with size (log-log least squares of median CPU time against lines, "
        f"synthetic sizes): tool **{result.exponent('tool'):.2f}**, "
        f"floor {result.exponent('floor'):.2f} (1.00 = linear)."
    )
    if result.cli is not None:
        cli = result.cli
        text += (
            f"\n\nCLI once on the monolith (`splitter migrate tests/conftest.py --dry-run --no-verify "
            f"--no-measure`, a fresh interpreter): {cli.tool.cpu:.2f} s CPU, {cli.tool.wall:.2f} s wall; "
            f"the floor as a fresh `python -c`: {cli.floor.cpu:.2f} s CPU, {cli.floor.wall:.2f} s wall "
            f"(**{times(ratio(cli.tool.cpu, cli.floor.cpu))}** CPU)."
        )
    return text


def collection_table(collections: Sequence[Collection], project: str) -> str:
    """Every target and mode of one project."""
    rows = [
        [
            f"{c.label}, {c.mode.value}",
            spread(c.before.rss_mb, 0),
            f"**{spread(c.after.rss_mb, 0)}**",
            spread(c.floor.rss_mb, 0),
            f"**{percent(c.share)}**",
            spread(c.before.wall),
            spread(c.after.wall),
            spread(c.floor.wall),
            f"{c.before.cpu.median:.2f} → {c.after.cpu.median:.2f}",
        ]
        for c in collections
        if c.project == project
    ]
    return table(
        [
            "collecting",
            "before MB",
            "after MB",
            "floor MB",
            "removable memory removed",
            "before wall s",
            "after wall s",
            "floor wall s",
            "CPU s before → after",
        ],
        rows,
    )


def corpora_table(collections: Sequence[Collection], modules: dict[str, int]) -> str:
    """One row per small corpus: whole suite, both modes (medians)."""
    by_project: dict[str, dict[Mode, Collection]] = {}
    for c in collections:
        if c.project != "monolith" and not c.target:
            by_project.setdefault(c.project, {})[c.mode] = c
    rows = []
    for name, modes in by_project.items():
        single, xdist = modes[Mode.SINGLE], modes[Mode.XDIST]
        rows.append(
            [
                name,
                str(modules.get(name, 0)) if modules.get(name) else "not split",
                f"{single.before.rss_mb.median:.0f} → {single.after.rss_mb.median:.0f}",
                percent(single.share),
                f"{single.before.wall.median:.2f} → {single.after.wall.median:.2f}",
                f"{xdist.before.rss_mb.median:.0f} → {xdist.after.rss_mb.median:.0f}",
                percent(xdist.share),
                f"{xdist.before.wall.median:.2f} → {xdist.after.wall.median:.2f}",
            ]
        )
    return table(
        [
            "corpus",
            "modules written",
            "MB, 1 process",
            "removed",
            "wall s, 1 process",
            "MB, -n 2",
            "removed",
            "wall s, -n 2",
        ],
        rows,
    )


def comparison_table(comparison: Comparison, as_ratio: bool = False) -> str:
    """Wall, CPU and peak RSS of both; the change in %, or (``as_ratio``) second / first."""
    rows = []
    for label, field, digits, unit in (
        ("wall time", "wall", 2, " s"),
        ("CPU time", "cpu", 2, " s"),
        ("peak RSS", "rss", 0, " MB"),
    ):
        first = {"wall": comparison.first.wall, "cpu": comparison.first.cpu, "rss": comparison.first.rss_mb}[field]
        second = {"wall": comparison.second.wall, "cpu": comparison.second.cpu, "rss": comparison.second.rss_mb}[field]
        rows.append(
            [
                label,
                spread(first, digits, unit),
                spread(second, digits, unit),
                f"**{times(comparison.change(field) + 1)}**"
                if as_ratio
                else f"**{percent(comparison.change(field), signed=True)}**",
            ]
        )
    return table(["", comparison.first_label, comparison.second_label, "ratio" if as_ratio else "change"], rows)


def migrate_table(cost: MigrateCost) -> str:
    """Section 5: the medians as a ratio, every round below them, and whether the goal is met."""
    rows = [
        [
            str(number),
            f"{r.load:.1f}",
            "warm" if r.warm_cache else "cold",
            f"{r.pytest.cpu:.2f} s / {r.pytest.wall:.2f} s",
            f"{r.migrate.cpu:.2f} s / {r.migrate.wall:.2f} s",
            times(ratio(r.migrate.cpu, r.pytest.cpu)),
            times(ratio(r.migrate.wall, r.pytest.wall)),
            str(r.exit_code),
        ]
        for number, r in enumerate(cost.rounds, 1)
    ]
    rounds = table(
        ["round", "load avg", "import costs", "pytest CPU / wall", "migrate CPU / wall", "ratio CPU", "ratio wall", "migrate exit"],
        rows,
    )
    cpu = cost.comparison.change("cpu") + 1
    verdict = "met" if cpu <= MIGRATE_GOAL and cost.kept else "not met"
    kept = "every migrate exited 0 (verified, split kept)" if cost.kept else "**a migrate did not exit 0**"
    return (
        comparison_table(cost.comparison, as_ratio=True)
        + "\n\n"
        + rounds
        + f"\n\nGoal: migrate CPU ≤ {MIGRATE_GOAL:g}× one plain run: **{verdict}** ({times(cpu)} of the medians); {kept}."
    )
