"""report: an :class:`Analysis` as rich tables, stable JSON, text, Graphviz dot and Mermaid.

Pure functions: each returns a string or a rich renderable; the CLI prints.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from splitter.analyze.cache import default_cache_dir
from splitter.analyze.saving import MIN_SAVING_MB
from splitter.model import (
    Action,
    Analysis,
    Definition,
    Fixture,
    FixtureNode,
    ImpactRating,
    Impact,
    Kind,
    ModuleCost,
    Prelude,
    SavingEstimate,
    Step,
)
from splitter.plan.assign import GROUP_ORDER, SplitPlan

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


def analysis_json(
    analysis: Analysis, plan: SplitPlan | None = None, estimate: SavingEstimate | None = None
) -> str:
    """The analysis as stable JSON (sorted keys, ``schema_version`` 1)."""
    return (
        json.dumps(
            analysis_document(analysis, plan, estimate),
            sort_keys=True,
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def analysis_document(
    analysis: Analysis, plan: SplitPlan | None = None, estimate: SavingEstimate | None = None
) -> dict[str, object]:
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
        "from_cache": from_cache(analysis),
        "saving_estimate": estimate_document(estimate, analysis.prelude),
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
        "warnings": analysis_warnings(analysis),
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


@dataclass(frozen=True)
class Wrapped:
    """Text wrapped between words at the console's width, with a hanging indent.

    Unlike rich's own wrapping, it leaves no trailing spaces and indents the
    continuation lines, so an 80-column terminal reads it as one item.
    """

    text: str
    indent: int = 0
    hanging: int = 2
    style: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = textwrap.wrap(
            self.text,
            width=options.max_width,
            initial_indent=" " * self.indent,
            subsequent_indent=" " * (self.indent + self.hanging),
            break_long_words=False,
            break_on_hyphens=False,
        )
        for line in lines:
            yield Text(line, style=self.style)


def fixture_listing(
    analysis: Analysis, plan: SplitPlan | None = None, estimate: SavingEstimate | None = None
) -> RenderableType:
    """Every fixture, grouped by the module it goes to, readable at 80 columns.

    One line per fixture (scope, kind, impact, measured MB) and an indented line
    with what it needs and why it goes there; ``--json`` has every detail. The
    footer says where the figures come from and what a split can save.
    """
    modules = by_module(analysis, plan)
    width = min(max((len(n.name) for n in analysis.graph.nodes), default=7), NAME_WIDTH)
    count = f"{len(analysis.graph.nodes)} fixtures" + (f" in {len(modules)} modules" if plan else "")
    lines: list[RenderableType] = [Text(f"fixtures of {analysis.model.path}: {count}", style="bold")]
    for module, loads, nodes in modules:
        lines.append(Text(""))
        lines.append(Text(f"{module}{f' · {loads}' if loads else ''} · {len(nodes)} fixtures", style="bold"))
        lines.append(Text("  " + listing_row(width, "fixture", "scope", "kind", "impact", "MB"), style="dim"))
        for node in nodes:
            lines += fixture_lines(analysis, plan, node, width)
    footer = footer_lines(analysis, estimate)
    if footer:
        lines.append(Text(""))
        lines += [Wrapped(line, style="dim") for line in footer]
    return Group(*lines)


NAME_WIDTH = 32  # longer names push their row out rather than squeeze every row


def listing_row(width: int, name: str, scope: str, kind: str, impact: str, mb: str) -> str:
    return f"{name.ljust(width)}  {scope:<8}  {kind:<9}  {impact:<9}  {mb:>6}"


def fixture_lines(analysis: Analysis, plan: SplitPlan | None, node: FixtureNode, width: int) -> list[RenderableType]:
    """A fixture's row, then (indented, wrapping) what it needs and why it goes where it goes."""
    fixture = fixture_of(analysis, node)
    rating = analysis.rating(node.name)
    kind = fixture.kind.value.replace("async_generator", "async gen")
    mb = "—" if rating.measured_mb is None else f"{rating.measured_mb:.1f}"
    row = listing_row(width, node.name, fixture.scope.value, kind, rating.level.name, mb)
    head, level, tail = row.partition(f"  {rating.level.name}")
    details = ["autouse"] if fixture.autouse else []
    if node.depends_on:
        details.append("needs " + ", ".join(node.depends_on))
    if rating.static_level is not rating.level:
        details.append(f"static signals: {rating.static_level.name}")
    if plan is not None:
        details.append(planned(plan, node)[2])
    text = Text.assemble("  " + head, (level, LEVEL_STYLE[rating.level]), tail)
    return [text, Wrapped("; ".join(details), indent=6, style="dim")] if details else [text]


def by_module(analysis: Analysis, plan: SplitPlan | None) -> list[tuple[str, str, list[FixtureNode]]]:
    """(module file, how it loads, its fixtures): the root conftest first, then cheapest first."""
    if plan is None:
        return [(analysis.model.path.rsplit("/", 1)[-1], "", list(analysis.graph.nodes))]
    modules: dict[str, tuple[str, list[FixtureNode]]] = {}
    for node in analysis.graph.nodes:
        module, loads, _ = planned(plan, node)
        modules.setdefault(module, (loads, []))[1].append(node)
    order = [ROOT_MODULE, *(f"{plan.settings.stem(g)}.py" for g in GROUP_ORDER)]
    ordered = sorted(modules, key=lambda m: order.index(m) if m in order else len(order))
    return [(m, modules[m][0], modules[m][1]) for m in ordered]


def analysis_summary(analysis: Analysis) -> RenderableType:
    """Counts per kind, unmovable statements, dynamic dependencies, cycles, externals."""
    return Group(*summary_lines(analysis))


def summary_lines(analysis: Analysis) -> Iterator[RenderableType]:
    counts = kind_counts(analysis.model.definitions)
    yield Text("")
    yield Wrapped("definitions: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n), style="bold")
    yield Text(f"fixtures registered: {len(analysis.graph.nodes)}")
    for heading, lines in summary_sections(analysis):
        yield Text(f"{heading}:" + ("" if lines else " none"), style="bold")
        for line in lines:
            yield Wrapped(line, indent=2, hanging=4)


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
        ("warnings", analysis_warnings(analysis)),
    ]


def analysis_warnings(analysis: Analysis) -> list[str]:
    """The model's warnings, every module that could not be imported to measure it, and
    every statement that changes the environment or sys.path but was not replayed first."""
    unmeasured = [
        f"could not import {m.module} to measure it: {m.error}"
        for m in analysis.modules
        if m.error
    ]
    skipped = [
        f"not replayed before measuring imports: line {n.line}: {n.code} ({n.reason})"
        for n in (analysis.prelude.not_replayed if analysis.prelude else ())
    ]
    return [*analysis.model.warnings, *unmeasured, *skipped]


def megabytes(value: float | None) -> str:
    return "" if value is None else f", {value:.1f} MB"


def fixture_of(analysis: Analysis, node: FixtureNode) -> Fixture:
    definition = analysis.model.definitions[node.definition]
    return next(f for f in definition.fixtures if f.name == node.name)


# --- the table's footer: the cache and the saving estimate ---------------------------------


def footer_lines(analysis: Analysis, estimate: SavingEstimate | None) -> list[str]:
    """Where the MB figures come from, and whether a split is worth it."""
    lines = [measurement_line(analysis)]
    replayed = prelude_line(analysis)
    if replayed:
        lines.append(replayed)
    if estimate is not None:
        lines += estimate_lines(estimate)
    return lines


def prelude_line(analysis: Analysis) -> str | None:
    """What the conftest does to the process before its imports, replayed when measuring them."""
    steps = analysis.prelude.steps if analysis.prelude else ()
    if not steps:
        return None
    described = ", ".join(dict.fromkeys(short_step(s) for s in steps))
    lines = line_ranges(s.line for s in steps)
    return f"replayed before the imports that follow them when measuring (lines {lines}): {described}"


def line_ranges(lines: Iterable[int]) -> str:
    """``9, 11–14`` for lines 9, 11, 12, 13, 14."""
    ranges: list[list[int]] = []
    for line in sorted(set(lines)):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)


def short_step(step: Step) -> str:
    """A replayed step in a few words: a variable's name, the tail of a path, a module."""
    if step.action is Action.IMPORT:
        return f"import {step.name}"
    if step.action in (Action.INSERT_PATH, Action.APPEND_PATH):
        tail = "/".join(step.name.rstrip("/").split("/")[-2:])
        return f"sys.path ← …/{tail}"
    if step.action is Action.UNSET_ENV:
        return f"unset {step.name}"
    return step.name


def measured_costs(analysis: Analysis) -> tuple[ModuleCost, ...]:
    """Every measured module: the conftest's and its tests'."""
    return (*analysis.modules, *(analysis.subset.costs if analysis.subset else ()))


def from_cache(analysis: Analysis) -> dict[str, int] | None:
    """How many import costs were measured, and how many of them came from the cache."""
    if not analysis.measured:
        return None
    costs = measured_costs(analysis)
    return {"modules": len(costs), "cached": sum(c.cached for c in costs)}


def measurement_line(analysis: Analysis) -> str:
    counts = from_cache(analysis)
    if counts is None:
        return "MB: not measured (--no-measure); impact from static signals only"
    total, cached = counts["modules"], counts["cached"]
    if cached == total:
        return f"MB: import costs of {total} modules, all from the cache of an earlier run"
    if cached == 0:
        return f"MB: import costs of {total} modules, measured now"
    return f"MB: import costs of {total} modules, {cached} from the cache, {total - cached} measured now"


def estimate_lines(estimate: SavingEstimate) -> list[str]:
    """The verdict with the subset's figures, then what it means for one light test file.

    With a module that could not be measured every figure is a lower bound: the
    verdict is then never "little to gain".
    """
    share = estimate.collection_saving_mb / estimate.collection_mb if estimate.collection_mb else 0.0
    at_least = "at least " if estimate.lower_bound else ""
    verdict = "worth splitting"
    if not estimate.worth_it and estimate.lower_bound:
        verdict = "cannot tell yet (an import could not be measured)"
    elif not estimate.worth_it:
        verdict = "little to gain ({})".format(
            "the tests import the heavy libraries themselves"
            if estimate.conftest_mb >= MIN_SAVING_MB
            else "the conftest imports little"
        )
    lines = [
        f"{verdict}: collecting {estimate.subset} imports {at_least}{estimate.collection_mb:.0f} MB over"
        f" bare pytest, of which a split can save {'at least' if at_least else 'up to'}"
        f" {estimate.collection_saving_mb:.0f} MB ({share:.0%}); running it, {estimate.run_saving_mb:.0f}"
        f" of {estimate.run_mb:.0f} MB."
    ]
    if estimate.light_file is not None:
        lines.append(light_file_line(estimate))
    if estimate.lower_bound:
        measured = estimate.light_file is not None and estimate.light_file.measured
        lines.append(
            "lower bound: could not measure "
            + ", ".join(estimate.unmeasured)
            + " (see the warnings): what they import is missing from "
            + ("the subset's figures (the per-file figure was measured in pytest)." if measured else "every figure.")
        )
    return lines


def light_file_line(estimate: SavingEstimate) -> str:
    """"a test file that needs no heavy fixture collects in ~X MB instead of ~Y MB", with the time where measured."""
    light = estimate.light_file
    assert light is not None
    over = "" if light.floor_mb is not None else " over bare pytest"
    over += " (measured: an empty test file collected with what the conftest loads, then the split)" if light.measured else ""

    def figure(megabytes: float, seconds: float | None) -> str:
        return f"~{megabytes:.0f} MB" + (f" ({seconds:.1f} s)" if seconds is not None else "")

    deferred = ", ".join(f"{c.module} ({c.megabytes:.0f} MB)" for c in estimate.deferred[:4])
    deferred += " …" if len(estimate.deferred) > 4 else ""
    tail = f"; a split defers {deferred}" if deferred else ""
    return (
        f"per test file: one that needs no heavy fixture collects in {figure(light.after_mb, light.after_seconds)}"
        f" instead of {figure(light.before_mb, light.before_seconds)}{over}{tail}."
    )


def estimate_document(estimate: SavingEstimate | None, prelude: Prelude | None = None) -> dict[str, object] | None:
    if estimate is None:
        return None
    return {
        "subset": estimate.subset,
        "conftest_mb": estimate.conftest_mb,
        "collection_mb": estimate.collection_mb,
        "collection_saving_mb": estimate.collection_saving_mb,
        "run_mb": estimate.run_mb,
        "run_saving_mb": estimate.run_saving_mb,
        "worth_it": estimate.worth_it,
        "lower_bound": estimate.lower_bound,
        "unmeasured": list(estimate.unmeasured),
        "deferred": [{"module": c.module, "measured_mb": c.megabytes} for c in estimate.deferred],
        "light_file": light_file_document(estimate),
        "replayed": [step_document(s) for s in (prelude.steps if prelude else ())],
        "not_replayed": [
            {"line": n.line, "code": n.code, "reason": n.reason} for n in (prelude.not_replayed if prelude else ())
        ],
    }


def light_file_document(estimate: SavingEstimate) -> dict[str, object] | None:
    light = estimate.light_file
    if light is None:
        return None
    return {
        "floor_mb": light.floor_mb,
        "before_mb": light.before_mb,
        "after_mb": light.after_mb,
        "saving_mb": light.saving_mb,
        "before_seconds": light.before_seconds,
        "after_seconds": light.after_seconds,
        "measured": light.measured,
    }


def step_document(step: Step) -> dict[str, object]:
    return {"line": step.line, "action": step.action.value, "name": step.name, "value": step.value}


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


MODULE_BORDER = {"lazy": "dashed", "eager": "solid", "root": "bold", "": "solid"}


def module_title(module: str, loads: str) -> str:
    """A cluster's title: the module file and how it loads."""
    how = {"lazy": "lazy: loaded at first use", "eager": "eager", "root": "stays in the root"}.get(loads, "")
    return f"{module} ({how})" if how else module


def graph_dot(analysis: Analysis, plan: SplitPlan | None = None) -> str:
    """The dependency graph in Graphviz dot: a cluster per module, fill by impact, cycles in red."""
    lines = [
        "digraph fixtures {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
    ]
    for index, (module, loads, nodes) in enumerate(by_module(analysis, plan)):
        lines.append(f'  subgraph "cluster_{index}" {{')
        lines.append(f'    label="{dot_escape(module_title(module, loads))}"; style="{MODULE_BORDER[loads]},rounded";')
        lines.append('    fontname="Helvetica";')
        for node in nodes:
            rating = analysis.rating(node.name)
            label = f"{node.name}\\n{fixture_of(analysis, node).scope.value} · {rating.level.name}{megabytes(rating.measured_mb)}"
            lines.append(
                f'    {dot_id(node.name)} [label="{dot_escape(label)}", fillcolor="{LEVEL_FILL[rating.level]}"];'
            )
        lines.append("  }")
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


def graph_mermaid(analysis: Analysis, plan: SplitPlan | None = None) -> str:
    """The dependency graph as a Mermaid ``flowchart`` (a subgraph per module) that renders on GitHub."""
    ids = {node.name: f"f{i}" for i, node in enumerate(analysis.graph.nodes)}
    external_ids = {e.name: f"x{i}" for i, e in enumerate(analysis.graph.externals)}
    lines = ["flowchart LR"]
    for index, (module, loads, nodes) in enumerate(by_module(analysis, plan)):
        lines.append(f'    subgraph m{index}["{mermaid_escape(module_title(module, loads))}"]')
        for node in nodes:
            rating = analysis.rating(node.name)
            scope = fixture_of(analysis, node).scope.value
            label = f"{node.name}<br/>{scope} · {rating.level.name}{megabytes(rating.measured_mb)}"
            lines.append(f'        {ids[node.name]}["{mermaid_escape(label)}"]:::{rating.level.name.lower()}')
        lines.append("    end")
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


LOG_EVERY = 100  # without a terminal, a progress line per this many modules measured


@contextmanager
def measurement_progress(console: Console) -> Iterator[Callable[[int, int, str], None]]:
    """A transient progress bar for import measurement; yields the progress callback.

    When the console is not a terminal, one plain line says what is measured, and one
    more every ``LOG_EVERY`` modules says how far it got.
    """
    if not console.is_terminal:
        announced: list[int] = []

        def once(done: int, total: int, module: str) -> None:
            if not announced:
                announced.append(total)
                console.print(
                    f"splitter: measuring the import cost of {total} modules (once: cached in {default_cache_dir()})",
                    highlight=False,
                    soft_wrap=True,
                )
            elif done % LOG_EVERY == 0 and done < total:
                console.print(f"splitter: measured {done} of {total} modules", highlight=False, soft_wrap=True)

        yield once
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
