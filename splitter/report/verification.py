"""Show a verify result: a readable terminal report, or JSON for machines.

Differences that repeat over many tests (one fixture's scope changed, seen by
300 tests) are grouped into one line with a count and an example test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from splitter.report.analysis import Wrapped
from splitter.verify.compare import Difference
from splitter.verify.snapshot import ApiSnapshot, Recording
from splitter.verify.verifier import VerifyResult

MB = 1024 * 1024
RUN_LABELS = {"collect": "collect", "run": "full run"}  # "collect" runs what the pytest arguments select
MEASURED = (  # printed under the table: what its figures are
    "peak RSS: the pytest process tree (xdist workers included), sampled every 20 ms; "
    "collect: until pytest finished collecting what the arguments select; full run: to the end of the tests; "
    "collect FILE: that file alone (migrate picks a selected test file that needs no heavy fixture)"
)


@dataclass(frozen=True)
class DifferenceGroup:
    """Differences with the same fixture and message, over one or more tests."""

    first: Difference
    tests: tuple[str, ...]

    def __str__(self) -> str:
        if len(self.tests) <= 1:
            return str(self.first)
        head = ": ".join(
            part for part in (self.first.fixture, self.first.message) if part
        )
        return f"{head} — {len(self.tests)} tests, e.g. {self.tests[0]}"


def group_differences(differences: Sequence[Difference]) -> tuple[DifferenceGroup, ...]:
    """Group equal (kind, fixture, message) differences, in order of first appearance."""
    groups: dict[tuple[str, str | None, str], list[Difference]] = {}
    for difference in differences:
        key = (difference.kind.value, difference.fixture, difference.message)
        groups.setdefault(key, []).append(difference)
    return tuple(
        DifferenceGroup(members[0], tuple(d.test for d in members if d.test))
        for members in groups.values()
    )


def render(result: VerifyResult, console: Console, limit: int = 20) -> None:
    """Print the report of a verify run."""
    _header(result, console)
    for failure in result.failures:
        console.print(
            f"[bold red]✗ pytest did not complete[/] ({failure.label}, exit code {failure.exit_code}): "
            f"{escape(failure.command)}",
            soft_wrap=True,
        )
        console.print(escape(_indent(failure.tail)), highlight=False, soft_wrap=True)
    if result.differences:
        _differences(result.differences, console, limit)
    console.print(measurement_table(result.before, result.after))
    console.print(Wrapped(MEASURED, style="dim"), highlight=False)
    console.print(_verdict(result), soft_wrap=True)


def _header(result: VerifyResult, console: Console) -> None:
    api = result.after.api
    summary = f"{len(api.items)} tests, {len(api.definitions)} fixture definitions, pytest {api.pytest_version}"
    if result.mode != "save":
        console.print(
            f"splitter verify: compared the tree with {escape(result.baseline)}",
            soft_wrap=True,
        )
    console.print(f"  {summary}", highlight=False)
    for note in notes(result):
        console.print(f"[yellow]  note:[/] {escape(note)}", soft_wrap=True)


def notes(result: VerifyResult) -> tuple[str, ...]:
    """Things the reader should know to judge the differences."""
    if (
        result.before
        and result.before.api.pytest_version != result.after.api.pytest_version
    ):
        versions = (
            f"{result.before.api.pytest_version} → {result.after.api.pytest_version}"
        )
        return (f"pytest changed ({versions}); pytest's own fixtures may differ too",)
    return ()


def _differences(
    differences: Sequence[Difference], console: Console, limit: int
) -> None:
    groups = group_differences(differences)
    console.print(f"[bold red]✗ {len(differences)} differences in the fixture API:[/]")
    for group in groups[:limit]:
        console.print(f"  {escape(str(group))}", highlight=False, soft_wrap=True)
    hidden = sum(max(1, len(g.tests)) for g in groups[limit:])
    if hidden:
        console.print(f"  … and {hidden} more (use --json for all)", highlight=False)


def _verdict(result: VerifyResult) -> str:
    tests = len(result.after.api.items)
    if result.failures or result.differences:
        return "[bold red]✗ verification failed[/]"
    if result.mode == "save":
        return f"[green]✓ saved the fixture API of {tests} tests to {escape(str(result.saved_to))}[/]"
    assert result.before is not None
    also = escape(also_unchanged(result.before.api, result.after.api))
    return f"[green]✓ fixture API unchanged ({tests} tests); {also}[/]"


def also_unchanged(before: ApiSnapshot, after: ApiSnapshot) -> str:
    """What else a successful comparison compared, for the success line."""
    parts = []
    if before.namespaces:
        paths = ", ".join(n.path for n in before.namespaces)
        parts.append(f"the namespace of {paths}")
    if before.configuration is not None:
        parts.append("pytest's options, ini keys, markers, plugins and collection warnings")
    if before.outcomes is not None and after.outcomes is not None:
        parts.append(f"the outcomes of {len(before.outcomes)} tests")
    compared = "also unchanged: " + ", ".join(parts) if parts else ""
    if before.outcomes is None or after.outcomes is None:
        compared += ("; " if compared else "") + "outcomes not compared"
    return compared


def measurement_table(before: Recording | None, after: Recording) -> Table:
    """Peak RSS and wall time per measured pytest run: before → after (or just now).

    Memory gets a Δ%; a single run's wall time does not (runs vary by ±10 % and more
    on a busy machine, so a percentage would read as a finding when it is noise).
    """
    table = Table(
        title="pytest cost (one run each)",
        title_justify="left",
    )
    table.add_column("run", no_wrap=True)
    for name in (
        ("peak RSS", "Δ", "wall time") if before else ("peak RSS", "wall time")
    ):
        table.add_column(name, justify="right", no_wrap=True)
    for now in after.measurements:
        label = RUN_LABELS.get(now.label, now.label)
        if before is None:
            table.add_row(
                label, f"{now.peak_rss_bytes / MB:.0f} MB", f"{now.seconds:.2f} s"
            )
            continue
        then = before.measurement(now.label)
        rss = (then.peak_rss_bytes / MB if then else None, now.peak_rss_bytes / MB)
        seconds = (then.seconds if then else None, now.seconds)
        table.add_row(
            label,
            _change(*rss, "{:.0f}", "MB"),
            _delta(*rss),
            _change(*seconds, "{:.1f}", "s"),
        )
    return table


def _change(old: float | None, new: float, number: str, unit: str) -> str:
    return f"{'—' if old is None else number.format(old)} → {number.format(new)} {unit}"


def _delta(old: float | None, new: float) -> str:
    return f"{(new - old) / old * 100:+.0f} %" if old else "—"


def _indent(text: str) -> str:
    return "\n".join(f"  │ {line}" for line in text.splitlines())


def to_json(result: VerifyResult) -> dict[str, Any]:
    """The machine-readable result."""
    return {
        "ok": not (result.differences or result.failures),
        "mode": result.mode,
        "baseline": result.baseline,
        "tests": len(result.after.api.items),
        "notes": list(notes(result)),
        "differences": [
            {
                "kind": d.kind.value,
                "test": d.test,
                "fixture": d.fixture,
                "message": d.message,
            }
            for d in result.differences
        ],
        "pytest_failures": [
            {
                "label": f.label,
                "exit_code": f.exit_code,
                "command": f.command,
                "tail": f.tail,
            }
            for f in result.failures
        ],
        "measurements": {
            "before": _measurements_json(result.before),
            "after": _measurements_json(result.after),
        },
        "saved_to": str(result.saved_to) if result.saved_to else None,
    }


def _measurements_json(recording: Recording | None) -> list[dict[str, Any]] | None:
    if recording is None:
        return None
    return [
        {"label": m.label, "peak_rss_bytes": m.peak_rss_bytes, "seconds": m.seconds}
        for m in recording.measurements
    ]
