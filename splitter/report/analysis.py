"""report: an :class:`Analysis` as rich tables, stable JSON, text, Graphviz dot and Mermaid.

Pure functions: each returns a string or a rich renderable; the CLI prints.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from rich.console import Console, Group, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from splitter.model import (
    Analysis,
    Definition,
    Fixture,
    FixtureNode,
    ImpactRating,
    Impact,
    Kind,
    ModuleCost,
)
from splitter.plan.assign import SplitPlan

SCHEMA_VERSION = 1
NOT_PLANNED = "—"  # a conftest with nothing to split
ROOT_MODULE = "(root conftest)"
LEVEL_STYLE = {
    Impact.MINIMAL: "green",
    Impact.LOW: "bright_green",
    Impact.MEDIUM: "yellow",
    Impact.HIGH: "dark_orange",
    Impact.VERY_HIGH: "bold red",
}
LEVEL_FILL = {
    Impact.MINIMAL: "#e8f5e9",
    Impact.LOW: "#c8e6c9",
    Impact.MEDIUM: "#fff59d",
    Impact.HIGH: "#ffb74d",
    Impact.VERY_HIGH: "#e57373",
}
CYCLE_COLOUR = "#d32f2f"


# --- JSON ------------------------------------------------------------------------------


def analysis_json(analysis: Analysis, plan: SplitPlan | None = None) -> str:
    """The analysis as stable JSON (sorted keys, ``schema_version`` 1)."""
    return (
        json.dumps(
            analysis_document(analysis, plan), sort_keys=True, indent=2, ensure_ascii=False
        )
        + "\n"
    )


def analysis_document(analysis: Analysis, plan: SplitPlan | None = None) -> dict[str, object]:
    """The JSON document of ``splitter analyze --json`` (schema in the README)."""
    model = analysis.model
    return {
        "schema_version": SCHEMA_VERSION,
        "path": model.path,
        "measured": analysis.measured,
        "fixtures": [fixture_document(analysis, node, plan) for node in analysis.graph.nodes],
        "definitions": [definition_document(d) for d in model.definitions],
        "summary": summary_document(analysis),
        "modules": [module_document(cost) for cost in analysis.modules],
    }


def fixture_document(analysis: Analysis, node: FixtureNode, plan: SplitPlan | None = None) -> dict[str, object]:
    definition = analysis.model.definitions[node.definition]
    fixture = next(f for f in definition.fixtures if f.name == node.name)
    rating = analysis.rating(node.name)
    return {
        "name": fixture.name,
        "function_name": fixture.function_name,
        "definition": definition.index,
        "origin": definition.kind.value,
        "line": fixture.span.start_line,
        "end_line": fixture.span.end_line,
        "scope": fixture.scope.value,
        "scope_source": fixture.scope_source,
        "params": fixture.params_source,
        "ids": fixture.ids_source,
        "autouse": fixture.autouse,
        "kind": fixture.kind.value,
        "argnames": list(fixture.argnames),
        "defaulted_args": list(fixture.defaulted_args),
        "decorator": fixture.decorator_form,
        "binding": fixture.binding.value,
        "provider": fixture.provider,
        "factory": fixture.factory,
        "docstring": fixture.docstring,
        "depends_on": list(node.depends_on),
        "closure": list(node.closure),
        "external": list(node.externals),
        "dynamic": list(node.dynamic),
        "impact": rating_document(rating),
        "planned_module": planned_document(plan, node),
    }


def planned(plan: SplitPlan, node: FixtureNode) -> tuple[str, str, str]:
    """(module file, how it loads, why) of the fixture ``node`` in ``plan``."""
    placement = plan.placement(node.definition)
    if placement.group is None or placement.unit is None:
        return ROOT_MODULE, "root", placement.reason
    loads = "eager" if plan.settings.is_eager(placement.group) else "lazy"
    return f"{placement.unit.stem}.py", loads, placement.reason


def planned_document(plan: SplitPlan | None, node: FixtureNode) -> dict[str, str] | None:
    if plan is None:
        return None
    module, loads, reason = planned(plan, node)
    return {"module": module, "loads": loads, "reason": reason}


def rating_document(rating: ImpactRating) -> dict[str, object]:
    return {
        "level": rating.level.name,
        "static_level": rating.static_level.name,
        "measured_mb": rating.measured_mb,
        "modules": list(rating.modules),
        "signals": list(rating.signals),
    }


def definition_document(definition: Definition) -> dict[str, object]:
    return {
        "index": definition.index,
        "kind": definition.kind.value,
        "names": list(definition.names),
        "line": definition.span.start_line,
        "end_line": definition.span.end_line,
        "reason": definition.reason,
        "fixtures": [f.name for f in definition.fixtures],
        "uses": list(definition.uses),
        "annotation_uses": list(definition.annotation_uses),
        "unresolved": list(definition.unresolved),
        "requests": list(definition.requests),
        "dynamic_requests": list(definition.dynamic_requests),
        "imports": [
            {
                "module": i.name,
                "level": i.level,
                "runtime": i.runtime,
                "deferred": i.deferred,
            }
            for i in definition.imports
        ],
    }


def summary_document(analysis: Analysis) -> dict[str, object]:
    model, graph = analysis.model, analysis.graph
    return {
        "counts": kind_counts(model.definitions),
        "fixtures": len(graph.nodes),
        "unmovable": [
            {
                "line": d.span.start_line,
                "reason": d.reason,
                "names": list(d.names),
                "fixtures": [f.name for f in d.fixtures],
            }
            for d in model.definitions
            if d.kind is Kind.UNMOVABLE
        ],
        "dynamic": [
            {
                "user": r.user,
                "line": model.definitions[r.definition].span.start_line,
                "expression": r.expression,
            }
            for r in graph.dynamic
        ],
        "cycles": [list(cycle) for cycle in graph.cycles],
        "external_fixtures": [
            {
                "name": e.name,
                "requested_by": list(e.requested_by),
                "overrides": e.overridden,
            }
            for e in graph.externals
        ],
        "order": list(graph.order),
        "heavy_chains": [
            {
                "fixtures": list(c.fixtures),
                "level": c.level.name,
                "measured_mb": c.megabytes,
            }
            for c in analysis.chains
        ],
        "warnings": list(model.warnings),
    }


def module_document(cost: ModuleCost) -> dict[str, object]:
    return {
        "module": cost.module,
        "measured_mb": cost.megabytes,
        "seconds": cost.seconds,
        "loads": len(cost.loads),
        "error": cost.error,
        "cached": cost.cached,
    }


def kind_counts(definitions: Iterable[Definition]) -> dict[str, int]:
    """How many definitions of each kind (every kind listed)."""
    counts = Counter(d.kind for d in definitions)
    return {kind.value: counts.get(kind, 0) for kind in Kind}


# --- rich ------------------------------------------------------------------------------


def analysis_table(analysis: Analysis, plan: SplitPlan | None = None) -> Table:
    """One row per fixture: scope, kind, dependencies, impact, measured MB, planned module."""
    table = Table(title=f"fixtures of {analysis.model.path}", title_justify="left")
    table.add_column("fixture", no_wrap=True)
    table.add_column("scope", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("depends on", overflow="fold", ratio=1)
    table.add_column("impact", no_wrap=True)
    table.add_column("static", no_wrap=True)
    table.add_column("MB", justify="right", no_wrap=True)
    table.add_column("module", no_wrap=True)
    table.add_column("why", overflow="fold", ratio=1)
    for node in analysis.graph.nodes:
        fixture = fixture_of(analysis, node)
        rating = analysis.rating(node.name)
        name = Text(node.name)
        if fixture.autouse:
            name.append(" (autouse)", style="dim")
        table.add_row(
            name,
            fixture.scope.value,
            fixture.kind.value.replace("_", " "),
            ", ".join(node.depends_on) or "—",
            Text(rating.level.name, style=LEVEL_STYLE[rating.level]),
            Text(rating.static_level.name, style="dim"),
            "—" if rating.measured_mb is None else f"{rating.measured_mb:.1f}",
            *planned_cells(plan, node),
        )
    return table


def planned_cells(plan: SplitPlan | None, node: FixtureNode) -> tuple[Text, Text]:
    if plan is None:
        return Text(NOT_PLANNED), Text("")
    module, loads, reason = planned(plan, node)
    return Text(module, style="dim" if loads == "root" else "bold" if loads == "lazy" else ""), Text(reason, style="dim")


def analysis_summary(analysis: Analysis) -> RenderableType:
    """Counts per kind, unmovable statements, dynamic dependencies, cycles, externals."""
    return Group(*summary_lines(analysis))


def summary_lines(analysis: Analysis) -> Iterator[Text]:
    counts = kind_counts(analysis.model.definitions)
    yield Text(
        "definitions: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n),
        style="bold",
    )
    yield Text(f"fixtures registered: {len(analysis.graph.nodes)}")
    for heading, lines in summary_sections(analysis):
        yield Text(f"{heading}: " + ("none" if not lines else ""), style="bold")
        for line in lines:
            yield Text(f"  {line}")


def summary_sections(analysis: Analysis) -> list[tuple[str, list[str]]]:
    """The summary as (heading, lines) pairs, shared by the rich and text renderings."""
    model, graph = analysis.model, analysis.graph
    unmovable = [
        f"line {d.span.start_line}: {d.reason}"
        + (
            f" (registers {', '.join(f.name for f in d.fixtures)})"
            if d.fixtures
            else ""
        )
        for d in model.definitions
        if d.kind is Kind.UNMOVABLE
    ]
    dynamic = [
        f"{r.user} (line {model.definitions[r.definition].span.start_line}): getfixturevalue({r.expression})"
        for r in graph.dynamic
    ]
    externals = [
        f"{e.name}{' (overridden here)' if e.overridden else ''} ← {', '.join(e.requested_by)}"
        for e in graph.externals
    ]
    chains = [
        " → ".join(c.fixtures) + f"  ({c.level.name}{megabytes(c.megabytes)})"
        for c in analysis.chains
    ]
    return [
        ("unmovable statements", unmovable),
        ("dynamic dependencies", dynamic),
        ("cycles", [" → ".join(c) for c in graph.cycles]),
        ("external fixtures", externals),
        ("heaviest chains", chains),
        ("warnings", list(model.warnings)),
    ]


def megabytes(value: float | None) -> str:
    return "" if value is None else f", {value:.1f} MB"


def fixture_of(analysis: Analysis, node: FixtureNode) -> Fixture:
    definition = analysis.model.definitions[node.definition]
    return next(f for f in definition.fixtures if f.name == node.name)


# --- graph: text, dot, mermaid -----------------------------------------------------------


def graph_text(analysis: Analysis) -> str:
    """The dependency graph as plain text, dependencies first."""
    graph = analysis.graph
    lines = [
        f"fixture graph of {analysis.model.path}: {len(graph.nodes)} fixtures, "
        f"{len(graph.externals)} external, {len(graph.cycles)} cycles",
        "",
    ]
    local = local_names(analysis)
    for name in graph.order:
        node = graph.node(name)
        rating = analysis.rating(name)
        scope = fixture_of(analysis, node).scope.value
        lines.append(
            f"{name}  [{scope}, {rating.level.name}{megabytes(rating.measured_mb)}]"
        )
        for dependency in node.depends_on:
            external = dependency not in local or dependency == name
            lines.append(f"  -> {dependency}{' (external)' if external else ''}")
    for heading, entries in summary_sections(analysis):
        lines.append("")
        lines.append(f"{heading}:" + ("" if entries else " none"))
        lines.extend(f"  {entry}" for entry in entries)
    return "\n".join(lines) + "\n"


def local_names(analysis: Analysis) -> set[str]:
    return {n.name for n in analysis.graph.nodes}


def cycle_edges(analysis: Analysis) -> set[tuple[str, str]]:
    """Edges that lie on a reported cycle."""
    return {(c[i], c[i + 1]) for c in analysis.graph.cycles for i in range(len(c) - 1)}


def graph_edges(analysis: Analysis) -> list[tuple[str, str, bool]]:
    """(user, dependency, is_external) for every direct request, in source order."""
    local = local_names(analysis)
    edges: list[tuple[str, str, bool]] = []
    for node in analysis.graph.nodes:
        for dependency in node.depends_on:
            edges.append(
                (
                    node.name,
                    dependency,
                    dependency not in local or dependency == node.name,
                )
            )
    return edges


def graph_dot(analysis: Analysis) -> str:
    """The dependency graph in Graphviz dot: fill by impact, cycles in red, externals dashed."""
    lines = [
        "digraph fixtures {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
    ]
    for node in analysis.graph.nodes:
        rating = analysis.rating(node.name)
        label = f"{node.name}\\n{fixture_of(analysis, node).scope.value} · {rating.level.name}{megabytes(rating.measured_mb)}"
        lines.append(
            f'  {dot_id(node.name)} [label="{dot_escape(label)}", fillcolor="{LEVEL_FILL[rating.level]}"];'
        )
    for external in analysis.graph.externals:
        lines.append(
            f'  {dot_id("external:" + external.name)} [label="{dot_escape(external.name)}", '
            "shape=ellipse, style=dashed, fillcolor=white];"
        )
    cycles = cycle_edges(analysis)
    for user, dependency, is_external in graph_edges(analysis):
        target = dot_id(("external:" if is_external else "") + dependency)
        style = (
            f' [color="{CYCLE_COLOUR}", penwidth=2.5]'
            if (user, dependency) in cycles
            else ""
        )
        lines.append(f"  {dot_id(user)} -> {target}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_id(name: str) -> str:
    return f'"{dot_escape(name)}"'


def dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\\\\n", "\\n")


def graph_mermaid(analysis: Analysis) -> str:
    """The dependency graph as a Mermaid ``flowchart`` that renders in a GitHub README."""
    ids = {node.name: f"f{i}" for i, node in enumerate(analysis.graph.nodes)}
    external_ids = {e.name: f"x{i}" for i, e in enumerate(analysis.graph.externals)}
    lines = ["flowchart LR"]
    for node in analysis.graph.nodes:
        rating = analysis.rating(node.name)
        scope = fixture_of(analysis, node).scope.value
        label = f"{node.name}<br/>{scope} · {rating.level.name}{megabytes(rating.measured_mb)}"
        lines.append(
            f'    {ids[node.name]}["{mermaid_escape(label)}"]:::{rating.level.name.lower()}'
        )
    for name, identifier in external_ids.items():
        lines.append(f'    {identifier}(["{mermaid_escape(name)}"]):::external')
    cycles = cycle_edges(analysis)
    highlighted: list[int] = []
    for position, (user, dependency, external) in enumerate(graph_edges(analysis)):
        target = external_ids[dependency] if external else ids[dependency]
        lines.append(f"    {ids[user]} --> {target}")
        if (user, dependency) in cycles:
            highlighted.append(position)
    for level, fill in LEVEL_FILL.items():
        lines.append(
            f"    classDef {level.name.lower()} fill:{fill},stroke:#555,color:#000"
        )
    lines.append(
        "    classDef external fill:#fff,stroke:#999,stroke-dasharray:4 3,color:#333"
    )
    if highlighted:
        lines.append(
            f"    linkStyle {','.join(map(str, highlighted))} stroke:{CYCLE_COLOUR},stroke-width:3px"
        )
    return "\n".join(lines) + "\n"


def mermaid_escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label (HTML entities for quotes and brackets)."""
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<br/>", "\0")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("\0", "<br/>")
    )


# --- progress ------------------------------------------------------------------------------


@contextmanager
def measurement_progress(console: Console) -> Iterator[Callable[[int, int, str], None]]:
    """A transient progress bar for import measurement; yields the progress callback.

    Nothing is drawn when the console is not a terminal.
    """
    if not console.is_terminal:
        yield lambda done, total, module: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("analyzing", total=None)

        def advance(done: int, total: int, module: str) -> None:
            bar.update(
                task,
                completed=done,
                total=total,
                description=f"measuring imports: {module}",
            )

        yield advance
