"""report: ``splitter scan`` as one ranked table, or stable JSON (pure).

One row per conftest, most to gain first: its lines and fixtures, the heavy
imports a split would stop loading while pytest collects, what collecting a test
file that needs no heavy fixture costs before → after, and whether it is already
split. The CLI prints what these return.
"""

from __future__ import annotations

import json

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from splitter.migrate.scan import ScanResult, ScanRow
from splitter.report.analysis import light_file_document
from splitter.model import SavingEstimate

SCHEMA_VERSION = 1
SHOWN_IMPORTS = 3  # heavy imports named per row; the rest are counted


def scan_table(result: ScanResult) -> RenderableType:
    """The ranked table, with a footer saying how the conftests were found and measured."""
    table = Table(title=f"conftests under {result.root.as_posix()}: {len(result.rows)}", title_justify="left")
    for heading, justify in (
        ("conftest", "left"),
        ("lines", "right"),
        ("fixtures", "right"),
        ("a split defers", "left"),
        ("light test file collects", "right"),
        ("split", "left"),
    ):
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for row in result.rows:
        table.add_row(*cells(row))
    how = "git ls-files (.gitignore respected)" if result.listed_by == "git" else "a walk (pytest's norecursedirs skipped)"
    notes = [f"found by {how}"]
    if not result.measured:
        notes.append("not measured (--no-measure): no estimate")
    if any(r.estimate is not None and not r.estimate.worth_it and not r.estimate.lower_bound for r in result.rows):
        notes.append("†: its own tests import the heavy libraries themselves, little to gain there (splitter analyze)")
    if any(r.estimate is not None and r.estimate.lower_bound for r in result.rows):
        notes.append("≥: an import could not be measured, the saving is a lower bound (splitter analyze names it)")
    return Group(table, Text("; ".join(notes), style="dim"))


def cells(row: ScanRow) -> tuple[str, ...]:
    """The cells of one row: an error takes the place of the figures."""
    lines = "" if row.lines is None else str(row.lines)
    fixtures = "" if row.fixtures is None else str(row.fixtures)
    if row.error is not None:
        return (row.path, lines, fixtures, f"error: {row.error}", "", "")
    split = "yes" if row.split else "no"
    if row.estimate is None:
        why = "" if row.split else ("no fixtures" if row.fixtures == 0 else "—")
        return (row.path, lines, fixtures, why, "", split)
    return (row.path, lines, fixtures, deferred_cell(row.estimate), light_cell(row.estimate), split)


def deferred_cell(estimate: SavingEstimate) -> str:
    named = [f"{c.module} {c.megabytes:.0f} MB" for c in estimate.deferred[:SHOWN_IMPORTS]]
    more = len(estimate.deferred) - SHOWN_IMPORTS
    return ", ".join(named) + (f" +{more} more" if more > 0 else "") if named else "nothing heavy"


def light_cell(estimate: SavingEstimate) -> str:
    light = estimate.light_file
    if light is None:
        return ""
    bound = "≥" if estimate.lower_bound else ""
    little = "" if estimate.worth_it or estimate.lower_bound or not light.saving_mb else " †"
    return f"{light.before_mb:.0f} → {light.after_mb:.0f} MB ({bound}−{light.saving_mb:.0f}){little}"


def scan_json(result: ScanResult) -> str:
    """The scan as stable JSON (sorted keys, ``schema_version`` 1)."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "root": result.root.as_posix(),
        "listed_by": result.listed_by,
        "measured": result.measured,
        "conftests": [row_document(row) for row in result.rows],
    }
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def row_document(row: ScanRow) -> dict[str, object]:
    estimate = row.estimate
    return {
        "path": row.path,
        "lines": row.lines,
        "fixtures": row.fixtures,
        "split": row.split,
        "error": row.error,
        "deferred": [{"module": c.module, "measured_mb": c.megabytes} for c in estimate.deferred] if estimate else [],
        "light_file": light_file_document(estimate) if estimate else None,
        "worth_it": estimate.worth_it if estimate else None,
        "lower_bound": estimate.lower_bound if estimate else None,
        "unmeasured": list(estimate.unmeasured) if estimate else [],
    }
