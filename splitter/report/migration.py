"""Show a migration: the plan per module, the result, the before/after cost (pure rendering)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from splitter.analyze.split import LOADER_STEM
from splitter.migrate.result import MigrateResult, Migration, Outcome
from splitter.report.analysis import Wrapped
from splitter.report.verification import MEASURED, also_unchanged, group_differences, measurement_table
from splitter.verify.snapshot import Recording

ROOT = "(root conftest)"


def module_rows(migration: Migration) -> list[tuple[str, str, int, int, int]]:
    """Per output file: name, how it loads, fixtures (stubs, for the loader), definitions, lines."""
    plan, model = migration.plan, migration.analysis.model
    lines = {f.name: f.text.count("\n") for f in migration.files}
    root = [p for p in plan.placements if p.group is None and not p.copied]
    root_fixtures = sum(len(model.definitions[p.definition].fixtures) for p in root)
    rows = [(migration.conftest.name, "root", root_fixtures, len(root), lines.get(migration.conftest.name, 0))]
    if f"{LOADER_STEM}.py" in lines:  # generated: the finder, the guard, a stub per lazily loaded fixture
        rows.append((f"{LOADER_STEM}.py", "generated", len(plan.lazy), 0, lines[f"{LOADER_STEM}.py"]))
    for unit in plan.units:
        members = [model.definitions[i] for i in plan.unit_members(unit)]
        name = f"{unit.stem}.py"
        loading = "eager" if plan.settings.is_eager(unit.group) else "lazy"
        rows.append((name, loading, sum(len(d.fixtures) for d in members), len(members), lines.get(name, 0)))
    return rows


def plan_table(migration: Migration) -> Table:
    """The files of the split: how each loads and what it holds."""
    table = Table(title="The split", title_justify="left")
    for column in ("file", "loads", "fixtures", "definitions", "lines"):
        table.add_column(column, justify="left" if column in ("file", "loads") else "right")
    for name, loading, fixtures, definitions, lines in module_rows(migration):
        table.add_row(name, loading, str(fixtures), str(definitions), str(lines))
    return table


def render_result(result: MigrateResult, console: Console, limit: int = 20) -> None:
    """Print how the migration ended."""
    if result.outcome is Outcome.NOTHING_TO_DO:
        console.print(Wrapped(f"nothing to do: {result.reason}"), highlight=False)
        return
    assert result.migration is not None
    for warning in (*result.migration.plan.warnings, *result.warnings):
        console.print(Wrapped(f"warning: {warning}", style="yellow"), highlight=False)
    if result.after is not None:
        console.print(measurement_table(result.before, result.after))
        console.print(Wrapped(MEASURED, style="dim"), highlight=False)
    if result.outcome is Outcome.ROLLED_BACK:
        for failure in result.failures:
            console.print(f"[bold red]✗ pytest did not complete after the split[/] ({failure.label}):")
            console.print(escape(failure.tail), highlight=False, soft_wrap=True)
        for group in group_differences(result.differences)[:limit]:
            console.print(f"  [red]•[/] {escape(str(group))}", highlight=False, soft_wrap=True)
        if result.after is not None and result.after.api.stopped:
            console.print(Wrapped(f"  the run after the split stopped early: {result.after.api.stopped}"), highlight=False)
        console.print("[bold red]✗ the fixture API changed: the migration was rolled back[/]")
    elif result.outcome is Outcome.UNVERIFIED:
        console.print("[yellow]✓ migrated without verification (--no-verify)[/]")
    else:
        assert result.before is not None and result.after is not None
        tests = len(result.after.api.items)
        also = also_unchanged(result.before.api, result.after.api)
        console.print(
            Wrapped(f"✓ migrated; fixture API unchanged for {tests} tests; {also}", style="green"), highlight=False
        )
        for name, why in result.kept:
            console.print(
                Wrapped(f"  kept in the root conftest: {name} — the first split changed this: {why}", style="green"),
                highlight=False,
            )


def to_json(result: MigrateResult) -> dict[str, Any]:
    """The machine-readable result."""
    migration = result.migration
    data: dict[str, Any] = {"outcome": result.outcome.value, "reason": result.reason}
    if migration is not None:
        data["files"] = [
            {"file": n, "loads": lo, "fixtures": f, "definitions": d, "lines": li}
            for n, lo, f, d, li in module_rows(migration)
        ]
        data["lazy_fixtures"] = list(migration.plan.lazy)
        data["warnings"] = [*migration.plan.warnings, *result.warnings]
        data["kept"] = [{"name": name, "why": why} for name, why in result.kept]
    data["differences"] = [
        {"kind": d.kind.value, "test": d.test, "fixture": d.fixture, "message": d.message}
        for d in result.differences
    ]
    data["stopped"] = result.after.api.stopped if result.after is not None else None
    data["measurements"] = {"before": _measurements(result.before), "after": _measurements(result.after)}
    return data


def _measurements(recording: Recording | None) -> list[dict[str, Any]] | None:
    if recording is None:
        return None
    return [{"label": m.label, "peak_rss_bytes": m.peak_rss_bytes, "seconds": m.seconds} for m in recording.measurements]
