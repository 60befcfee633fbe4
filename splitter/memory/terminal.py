"""The ``--fixture-memory`` summary as plain text lines (pure; no rich, no pytest)."""

from __future__ import annotations

from collections.abc import Sequence

from splitter.memory.records import (
    CollectionFigures,
    FixtureStats,
    MemoryReport,
    MemoryRun,
)

FIXTURE_ROWS = 30
IMPORT_ROWS = 10
SITE_ROWS = 8


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  "
) -> list[str]:
    """A plain aligned table; columns whose cells look numeric are right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    numeric = [
        all(_numeric(row[i]) for row in rows) and bool(rows)
        for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        parts = (
            c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric)
        )
        return (indent + "  ".join(parts)).rstrip()

    return [
        line(headers),
        line(["-" * w for w in widths]),
        *(line(row) for row in rows),
    ]


def _numeric(cell: str) -> bool:
    return (
        cell.replace(".", "", 1)
        .replace("-", "", 1)
        .replace("+", "", 1)
        .replace(",", "")
        .isdigit()
        or cell == "-"
    )


def mb(value: float | None, signed: bool = False) -> str:
    """Megabytes with one decimal; '-' when unknown."""
    if value is None:
        return "-"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def summary_lines(run: MemoryRun, full: bool = True) -> list[str]:
    """Collection figures, the fixture table, declared-level flags and memory reports."""
    lines: list[str] = []
    if full:
        lines += collection_lines(run.collections, run.collection)
        lines += fixture_lines(run.fixtures)
    lines += report_lines(run.reports)
    return lines


def collection_lines(
    collections: Sequence[CollectionFigures], heaviest: CollectionFigures | None
) -> list[str]:
    """One line per process, then where the heaviest collecting one's memory went."""
    if not collections or heaviest is None:
        return []
    lines = [
        "collection (RSS from before the conftests load to the end of collection):"
    ]
    for c in collections:
        lines.append(
            f"  {c.process}: {mb(c.baseline_mb)} MB -> {mb(c.end_mb)} MB ({mb(c.growth_mb, True)} MB), "
            f"peak {mb(c.peak_mb)} MB, {c.seconds:.2f} s, {c.items} items, "
            f"{c.modules_imported} modules imported"
        )
    if heaviest.imports:
        lines.append(
            f"  heaviest imports while collecting ({heaviest.process}; self = without nested packages):"
        )
        rows = [
            [
                i.name,
                mb(i.self_mb),
                mb(i.inclusive_mb),
                f"{i.seconds:.2f}",
                str(i.modules),
                i.imported_by,
            ]
            for i in heaviest.imports[:IMPORT_ROWS]
        ]
        lines += table(
            ["package", "self MB", "incl. MB", "s", "modules", "imported by"],
            rows,
            "    ",
        )
    if heaviest.sites:
        lines.append("  conftests and collected files:")
        rows = [
            [s.site, s.kind.value, mb(s.inclusive_mb), f"{s.seconds:.2f}"]
            for s in heaviest.sites[:SITE_ROWS]
        ]
        lines += table(["file", "kind", "MB", "s"], rows, "    ")
    return lines


def fixture_lines(fixtures: Sequence[FixtureStats]) -> list[str]:
    """The per-fixture table, heaviest setup first, and fixtures over their declared level."""
    if not fixtures:
        return ["fixtures: no fixture was set up"]
    setups = sum(f.calls for f in fixtures)
    lines = [
        f"fixtures: {len(fixtures)} measured over {setups} setups (MB = RSS growth of the setup itself):"
    ]
    rows = [_fixture_row(f) for f in fixtures[:FIXTURE_ROWS]]
    lines += table(
        [
            "fixture",
            "scope",
            "calls",
            "mean MB",
            "max MB",
            "total s",
            "impact",
            "declared",
        ],
        rows,
    )
    if len(fixtures) > FIXTURE_ROWS:
        lines.append(
            f"  ... {len(fixtures) - FIXTURE_ROWS} lighter fixtures not shown (all are in the JSON)"
        )
    for f in fixtures:
        if f.exceeds_declared and f.declared_level is not None:
            lines.append(
                f"  ! {f.name} ({f.location}:{f.line}) measured {f.impact.name} ({mb(f.max_mb)} MB), "
                f"over its declared {f.declared_level.name}"
                + (f": {f.declared_description}" if f.declared_description else "")
            )
    return lines


def _fixture_row(f: FixtureStats) -> list[str]:
    declared = (
        "-"
        if f.declared_level is None
        else f.declared_level.name + (" (!)" if f.exceeds_declared else "")
    )
    return [
        f.name,
        f.scope,
        str(f.calls),
        mb(f.mean_mb),
        mb(f.max_mb),
        f"{f.total_seconds:.3f}",
        f.impact.name,
        declared,
    ]


def report_lines(reports: Sequence[MemoryReport]) -> list[str]:
    """The ``memory_reporter`` reports, in the order they were made per process."""
    if not reports:
        return []
    rows = [
        [r.test, r.label, mb(r.rss_mb), mb(r.delta_mb, True), str(r.modules_loaded)]
        for r in reports
    ]
    return [
        "memory reports:",
        *table(["test", "label", "RSS MB", "delta MB", "modules"], rows),
    ]
