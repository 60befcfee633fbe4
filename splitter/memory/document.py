"""The fixture memory profile as Markdown (pure: a :class:`Profile` in, text out).

The document a careful engineer writes after measuring a suite: what collection
costs and why, each module of the split with its fixtures, the session-scoped
fixtures, the heavy dependency chains, before/after figures when a migration
backup exists, how it was measured and how to measure it again. Every number
comes from the runs in the profile; none is estimated.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from splitter import __version__
from splitter.memory.layout import Layout, SplitModule
from splitter.memory.profile import Profile, TreeProfile
from splitter.memory.records import (
    CollectionFigures,
    FixtureStats,
    ImportCost,
    MemoryRun,
    SiteKind,
)
from splitter.model import Impact

TOP_IMPORTS = 12
TOP_SITES = 10
TOP_CHAINS = 10
TOP_ELSEWHERE = 12
NOTABLE_MB = 0.1  # below this, an RSS delta is within page and arena noise
NOTABLE_SECONDS = 0.05


# --- formatting --------------------------------------------------------------------------


def mb(value: float | None) -> str:
    """``12.3 MB``; ``–`` when unknown."""
    return "–" if value is None else f"{value:.1f} MB"


def sec(value: float | None) -> str:
    """``1.23 s``; ``–`` when unknown."""
    return "–" if value is None else f"{value:.2f} s"


def change(before: float | None, after: float | None) -> str:
    """The relative change, ``−83 %``, or ``–`` when it cannot be computed."""
    if before is None or after is None or before == 0:
        return "–"
    percent = (after - before) / before * 100
    if round(percent) == 0:
        return "±0 %"
    return f"{'−' if percent < 0 else '+'}{abs(percent):.0f} %"


def cell(value: object) -> str:
    """A Markdown table cell: pipes escaped, newlines flattened."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], right: Sequence[int] = ()
) -> list[str]:
    """A Markdown table; columns listed in ``right`` are right-aligned (numbers)."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def code(value: str) -> str:
    """Inline code."""
    return f"`{value}`"


# --- what the document computes from the runs ---------------------------------------------


@dataclass(frozen=True)
class ModuleFigures:
    """One module of the split with what it costs."""

    module: SplitModule
    fixtures: tuple[FixtureStats, ...]
    collection_mb: float | None  # None: not imported while collecting
    collection_seconds: float | None
    runtime_mb: float  # sum of the exclusive setup deltas of its fixtures
    runtime_seconds: float
    loaded_during: str = ""  # the conftest or test file whose loading imported it


@dataclass(frozen=True)
class Chain:
    """A fixture and the fixtures it requests, transitively."""

    fixture: FixtureStats
    path: tuple[str, ...]  # the heaviest path through its dependencies
    members: tuple[str, ...]  # every measured fixture in its closure, itself included
    closure_mb: float  # sum of the members' largest setup deltas


def module_figures(tree: TreeProfile) -> tuple[ModuleFigures, ...]:
    """Size, collection and runtime cost of every module of the tree."""
    collection = tree.run.collection
    figures = []
    for module in tree.layout.modules:
        fixtures = tree.layout.fixtures_of(module.path, tree.run.fixtures)
        collected = _collection_cost(collection, module)
        found = (
            None
            if collection is None
            else next(
                (
                    i
                    for i in collection.imports
                    if i.project and i.location == module.path
                ),
                None,
            )
        )
        figures.append(
            ModuleFigures(
                module=module,
                fixtures=fixtures,
                collection_mb=None if collected is None else collected[0],
                collection_seconds=None if collected is None else collected[1],
                runtime_mb=sum(f.total_mb for f in fixtures),
                runtime_seconds=sum(f.total_seconds for f in fixtures),
                loaded_during="" if found is None else found.during,
            )
        )
    return tuple(figures)


def _collection_cost(
    collection: CollectionFigures | None, module: SplitModule
) -> tuple[float, float] | None:
    """(MB, s) of importing a module while collecting: the conftest site, or its import."""
    if collection is None:
        return None
    if module.root:
        site = next(
            (
                s
                for s in collection.sites
                if s.kind is SiteKind.CONFTEST and s.site == module.path
            ),
            None,
        )
        return None if site is None else (site.inclusive_mb, site.seconds)
    found = next(
        (i for i in collection.imports if i.project and i.location == module.path), None
    )
    if found is not None:
        return (found.inclusive_mb, found.seconds)
    return (
        (float("nan"), float("nan"))
        if module.path in collection.project_files
        else None
    )


def heaviest_by_name(fixtures: Iterable[FixtureStats]) -> dict[str, FixtureStats]:
    """One fixture per name (the costliest definition when a name is overridden)."""
    chosen: dict[str, FixtureStats] = {}
    for fixture in fixtures:
        if fixture.name not in chosen or fixture.max_mb > chosen[fixture.name].max_mb:
            chosen[fixture.name] = fixture
    return chosen


def dependency_chains(fixtures: Sequence[FixtureStats]) -> tuple[Chain, ...]:
    """Every fixture that requests others, with the cost of its whole closure, heaviest first."""
    by_name = heaviest_by_name(fixtures)
    chains = []
    for fixture in fixtures:
        members = _closure(fixture.name, by_name)
        if len(members) < 2:
            continue
        cost = sum(max(by_name[m].max_mb, 0.0) for m in members)
        chains.append(
            Chain(
                fixture,
                _heaviest_path(fixture.name, by_name, ()),
                tuple(sorted(members)),
                cost,
            )
        )
    return tuple(sorted(chains, key=lambda c: (-c.closure_mb, c.fixture.name)))


def _closure(name: str, by_name: dict[str, FixtureStats]) -> set[str]:
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen or current not in by_name:
            continue
        seen.add(current)
        pending.extend(by_name[current].argnames)
    return seen


def _heaviest_path(
    name: str, by_name: dict[str, FixtureStats], visiting: tuple[str, ...]
) -> tuple[str, ...]:
    """``name`` followed by the dependency whose closure costs most, recursively."""
    here = (*visiting, name)
    options = [a for a in by_name[name].argnames if a in by_name and a not in here]
    if not options:
        return (name,)

    def weight(argname: str) -> float:
        return sum(max(by_name[m].max_mb, 0.0) for m in _closure(argname, by_name))

    return (name, *_heaviest_path(max(options, key=weight), by_name, here))


def describe(fixture: FixtureStats) -> str:
    """The fixture's first docstring line, else its declared description."""
    return fixture.description or fixture.declared_description or "–"


def packages(modules: Sequence[str], limit: int = 4) -> str:
    """The top-level packages among newly imported modules, e.g. ``pandas, numpy (+2)``."""
    tops = list(
        dict.fromkeys(m.partition(".")[0] for m in modules if not m.startswith("_"))
    )
    if not tops:
        return "–"
    shown = ", ".join(tops[:limit])
    return shown + (f" (+{len(tops) - limit})" if len(tops) > limit else "")


# --- sections ------------------------------------------------------------------------------


def render_profile(profile: Profile, generated: dt.datetime | None = None, fixture_graph: str = "") -> str:
    """The whole Markdown document; ``fixture_graph`` is a Mermaid flowchart of the split."""
    tree = profile.current
    lines = header(profile, generated or dt.datetime.now(dt.timezone.utc))
    lines += executive_summary(profile)
    lines += run_section(tree)
    lines += collection_section(tree.run)
    lines += modules_section(tree)
    lines += graph_section(fixture_graph)
    lines += session_section(tree)
    lines += chains_section(tree.run.fixtures)
    lines += elsewhere_section(tree)
    lines += declared_section(tree.run.fixtures)
    if profile.legacy is not None:
        lines += before_after_section(profile.legacy, tree, profile.migrated_at)
    lines += method_section()
    lines += reproduce_section(profile)
    return "\n".join(lines).rstrip() + "\n"


def graph_section(mermaid: str) -> list[str]:
    """Where each fixture goes, as a Mermaid graph GitHub renders (nothing when there is none)."""
    if not mermaid:
        return []
    return [
        "## Where each fixture goes",
        "",
        "Each box is a fixture in the module it goes to (lazy modules load when a test first needs "
        "one of their fixtures); colours are the impact from static signals, arrows point at what a "
        "fixture requests, dashed ovals are fixtures from pytest or plugins.",
        "",
        "```mermaid",
        mermaid.rstrip("\n"),
        "```",
        "",
    ]


def header(profile: Profile, generated: dt.datetime) -> list[str]:
    env = profile.current.run.environment
    memory = f", {env.memory_mb / 1024:.0f} GiB of memory" if env.memory_mb else ""
    return [
        f"# Fixture memory profile — {profile.rootdir.name}",
        "",
        f"Generated by `splitter profile` (splitter {__version__}) on {generated:%Y-%m-%d %H:%M} UTC "
        f"from `{profile.conftest}`. Every figure below was measured in the runs described here; "
        "none is estimated.",
        "",
        f"Machine: {env.cpus} CPU cores{memory}, {env.platform}; "
        f"{env.implementation} {env.python}, pytest {env.pytest}"
        + (f", {env.workers} xdist workers" if env.workers else "")
        + ".",
        "",
    ]


def executive_summary(profile: Profile) -> list[str]:
    tree = profile.current
    run = tree.run
    points = [*_collection_points(tree), *_lazy_points(tree), *_runtime_points(run)]
    if profile.legacy is not None:
        points += _comparison_points(profile.legacy.run, run)
    if run.outcomes.failed or run.outcomes.errors:
        points.append(
            f"**{run.outcomes.failed} tests failed and {run.outcomes.errors} errored in this run**; "
            "their fixtures are measured all the same."
        )
    return ["## Executive summary", "", *(f"- {p}" for p in points), ""]


def _collection_points(tree: TreeProfile) -> list[str]:
    c = tree.run.collection
    if c is None:
        return ["Collection was not measured (the run ended before collecting)."]
    points = [
        f"Collecting {c.items} tests takes the pytest process from {mb(c.baseline_mb)} (Python, pytest and "
        f"its plugins) to {mb(c.end_mb)} — **{mb(c.growth_mb)} before the first test runs** — "
        f"with a peak of {mb(c.peak_mb)}, in {sec(c.seconds)}; {c.modules_imported} modules are imported."
    ]
    root = next(
        (
            s
            for s in c.sites
            if s.kind is SiteKind.CONFTEST and s.site == tree.layout.conftest
        ),
        None,
    )
    if root is not None:
        share = (
            f" ({root.inclusive_mb / c.growth_mb * 100:.0f} % of that growth)"
            if c.growth_mb > 0
            else ""
        )
        heavy = ", ".join(
            f"`{i.name}` {mb(i.self_mb)}"
            for i in c.imports[:3]
            if i.self_mb >= NOTABLE_MB
        )
        points.append(
            f"Importing `{root.site}` costs {mb(root.inclusive_mb)}{share} and {sec(root.seconds)}"
            + (
                f"; the heaviest packages loaded while collecting are {heavy}."
                if heavy
                else "."
            )
        )
    return points


def _lazy_points(tree: TreeProfile) -> list[str]:
    """Lazily loaded modules that were imported during collection anyway, and why."""
    lazy = {path for _, path in tree.layout.lazy}
    loaded = [
        f
        for f in module_figures(tree)
        if f.module.path in lazy and f.collection_mb is not None
    ]
    if not loaded:
        return (
            ["No lazily loaded module was imported during collection."] if lazy else []
        )
    reasons = ", ".join(
        f"`{f.module.path}`"
        + (f" (while loading `{f.loaded_during}`)" if f.loaded_during else "")
        for f in loaded
    )
    return [
        f"{len(loaded)} of the {len(lazy)} lazily loaded modules were imported during collection anyway: "
        f"{reasons}."
    ]


def _runtime_points(run: MemoryRun) -> list[str]:
    fixtures = run.fixtures
    if not fixtures:
        return ["No fixture was set up."]
    total = sum(f.total_mb for f in fixtures)
    top = max(fixtures, key=lambda f: f.max_mb)
    levels = {level: sum(1 for f in fixtures if f.impact is level) for level in Impact}
    heavy = sum(count for level, count in levels.items() if level >= Impact.MEDIUM)
    points = [
        f"{len(fixtures)} fixtures were set up {sum(f.calls for f in fixtures)} times; their setups added "
        f"{mb(total)} in all. The costliest single setup is `{top.name}` ({mb(top.max_mb)}, {top.impact.name}); "
        f"{heavy} fixtures rate MEDIUM or above "
        f"({', '.join(f'{level.name} {count}' for level, count in levels.items() if count)})."
    ]
    if run.peak_mb is not None:
        points.append(
            f"Peak RSS of the run: {mb(run.peak_mb)} (largest of {len(run.processes)} process(es))."
        )
    flagged = [f.name for f in fixtures if f.exceeds_declared]
    if flagged:
        points.append(
            f"{len(flagged)} fixtures cost more than their `@memory_profile` declares: {_names(flagged)}."
        )
    return points


def _comparison_points(before: MemoryRun, after: MemoryRun) -> list[str]:
    b, a = before.collection, after.collection
    if b is None or a is None:
        return []
    return [
        f"Against the legacy conftest: collection memory {mb(b.end_mb)} → {mb(a.end_mb)} "
        f"({change(b.end_mb, a.end_mb)}), collection peak {mb(b.peak_mb)} → {mb(a.peak_mb)} "
        f"({change(b.peak_mb, a.peak_mb)}), collection time {sec(b.seconds)} → {sec(a.seconds)} "
        f"({change(b.seconds, a.seconds)}), run peak {mb(before.peak_mb)} → {mb(after.peak_mb)} "
        f"({change(before.peak_mb, after.peak_mb)})."
    ]


def _names(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def run_section(tree: TreeProfile) -> list[str]:
    o = tree.run.outcomes
    rows = [
        ("command (from the rootdir)", code(" ".join(tree.command))),
        (
            "tests",
            f"{o.passed} passed, {o.failed} failed, {o.errors} errors, {o.skipped} skipped",
        ),
        ("pytest exit status", str(tree.returncode)),
        ("wall time of the pytest process", sec(tree.seconds)),
        ("processes", ", ".join(p.process for p in tree.run.processes) or "–"),
    ]
    return ["## The measured run", "", *md_table(["", ""], rows)]


def collection_section(run: MemoryRun) -> list[str]:
    lines = ["## Collection", ""]
    if run.collection is None:
        return lines + ["Not measured.", ""]
    lines += [
        "What each pytest process holds before its first test: RSS when the plugin starts (before the first "
        "conftest is imported), at the end of collection, and the process's peak so far.",
        "",
    ]
    rows = [
        (
            c.process,
            mb(c.baseline_mb),
            mb(c.end_mb),
            mb(c.growth_mb),
            mb(c.peak_mb),
            sec(c.seconds),
            c.items,
            c.modules_imported,
        )
        for c in run.collections
    ]
    headers = [
        "process",
        "RSS at start",
        "after collection",
        "growth",
        "peak",
        "time",
        "tests",
        "modules imported",
    ]
    lines += md_table(headers, rows, right=range(1, 8))
    heaviest = run.collection
    lines += [f"### Where collection memory goes ({heaviest.process})", ""]
    lines += [
        "RSS growth while each conftest was imported (with everything it imports) and while each test file was "
        "collected:",
        "",
    ]
    sites = [
        s
        for s in heaviest.sites
        if s.inclusive_mb >= NOTABLE_MB or s.kind is SiteKind.CONFTEST
    ]
    site_rows = [
        (code(s.site), s.kind.value, mb(s.inclusive_mb), sec(s.seconds), s.modules)
        for s in sites[:TOP_SITES]
    ]
    lines += md_table(
        ["file", "kind", "RSS growth", "time", "modules"], site_rows, right=(2, 3, 4)
    )
    lines += [
        f"### Heaviest packages imported while collecting ({heaviest.process})",
        "",
    ]
    lines += [
        "*self*: RSS growth while the package's own modules ran; *with imports*: its first import including the "
        "new packages it pulled in.",
        "",
    ]
    lines += md_table(
        [
            "package",
            "self",
            "with imports",
            "time",
            "modules",
            "first imported by",
            "while loading",
        ],
        (_import_row(i) for i in heaviest.imports[:TOP_IMPORTS]),
        right=(1, 2, 3, 4),
    )
    return lines


def _import_row(i: ImportCost) -> tuple[object, ...]:
    name = f"`{i.name}` ({i.location})" if i.project else code(i.name)
    during = code(i.during) if i.during else "–"
    importer = code(i.imported_by) if i.imported_by else "(C extension)"
    return (
        name,
        mb(i.self_mb),
        mb(i.inclusive_mb),
        sec(i.seconds),
        i.modules,
        importer,
        during,
    )


def modules_section(tree: TreeProfile) -> list[str]:
    layout = tree.layout
    figures = module_figures(tree)
    title = "## Modules of the split" if layout.split else "## The conftest module"
    lines = [title, ""]
    if not layout.split:
        lines += [
            f"`{layout.conftest}` has not been split: every fixture below is defined in one module that pytest "
            "imports, with all its imports, before collecting any test.",
            "",
        ]
    rows = [_module_row(f, layout) for f in figures]
    headers = [
        "module",
        "lines",
        "fixtures",
        "collection memory",
        "runtime memory (setups)",
        "setup time",
    ]
    lines += md_table(headers, rows, right=(1, 2, 3, 4, 5))
    lines += [
        "*Collection memory*: RSS growth while the module was imported during collection "
        "(the root conftest's figure includes the modules it imports eagerly); *runtime memory*: the sum of "
        "its fixtures' setup deltas over the run.",
        "",
    ]
    for figure in figures:
        lines += _module_fixture_table(figure)
    return lines


def _module_row(f: ModuleFigures, layout: Layout) -> tuple[object, ...]:
    if f.collection_mb is None:
        collection = "not imported" if f.module.root else "not imported (lazy)"
    elif math.isnan(f.collection_mb):
        collection = "imported (cost not isolated)"
    else:
        collection = mb(f.collection_mb)
    if f.loaded_during and not f.module.root:
        collection += f", while loading `{f.loaded_during}`"
    return (
        code(f.module.path),
        f.module.lines,
        len(f.fixtures),
        collection,
        mb(f.runtime_mb),
        sec(f.runtime_seconds),
    )


def _module_fixture_table(figure: ModuleFigures) -> list[str]:
    lines = [f"### `{figure.module.path}`", ""]
    if not figure.fixtures:
        return lines + ["No fixture of this module was set up in this run.", ""]
    rows = [
        (
            code(f.name),
            f.scope,
            f.impact.name,
            describe(f),
            f.calls,
            mb(f.max_mb),
            mb(f.mean_mb),
            sec(f.total_seconds),
        )
        for f in sorted(figure.fixtures, key=lambda f: (-f.max_mb, f.name))
    ]
    headers = [
        "fixture",
        "scope",
        "impact",
        "description",
        "setups",
        "max per setup",
        "mean",
        "total time",
    ]
    return lines + md_table(headers, rows, right=(4, 5, 6, 7))


def session_section(tree: TreeProfile) -> list[str]:
    sessions = sorted(
        (f for f in tree.run.fixtures if f.scope == "session"),
        key=lambda f: (-f.max_mb, f.name),
    )
    lines = ["## Session-scoped fixtures", ""]
    if not sessions:
        return lines + ["None was set up in this run.", ""]
    lines += [
        "Set up once per process and kept until the end of the session, so their memory stays resident.",
        "",
    ]
    rows = [
        (
            code(f.name),
            code(tree.layout.module_of(f) or f.location),
            f.impact.name,
            mb(f.max_mb),
            sec(f.max_seconds),
            f.calls,
            packages(f.modules),
        )
        for f in sessions
    ]
    headers = [
        "fixture",
        "defined in",
        "impact",
        "memory",
        "setup time",
        "setups",
        "packages it imported",
    ]
    return lines + md_table(headers, rows, right=(3, 4, 5))


def chains_section(fixtures: Sequence[FixtureStats]) -> list[str]:
    chains = [c for c in dependency_chains(fixtures) if c.closure_mb >= NOTABLE_MB][
        :TOP_CHAINS
    ]
    lines = ["## Heavy dependency chains", ""]
    if not chains:
        return lines + [
            f"No fixture's dependency closure costs {NOTABLE_MB} MB or more at setup: "
            "in this run the memory goes to what collection imports, not to fixture setups.",
            "",
        ]
    lines += [
        "Requesting a fixture sets up everything it requests, transitively. *Closure*: the sum of the largest "
        "setup delta of every fixture in it.",
        "",
    ]
    rows = [
        (" → ".join(code(n) for n in c.path), len(c.members), mb(c.closure_mb))
        for c in chains
    ]
    return lines + md_table(
        ["chain (heaviest path)", "fixtures in closure", "closure"], rows, right=(1, 2)
    )


def elsewhere_section(tree: TreeProfile) -> list[str]:
    others = [f for f in tree.run.fixtures if tree.layout.module_of(f) is None]
    if not others:
        return []
    notable = [
        f
        for f in others
        if f.max_mb >= NOTABLE_MB or f.total_seconds >= NOTABLE_SECONDS
    ]
    shown = sorted(notable, key=lambda f: (-f.max_mb, -f.total_seconds, f.name))[
        :TOP_ELSEWHERE
    ]
    lines = ["## Fixtures defined elsewhere", ""]
    if not shown:
        return lines + [
            f"{len(others)} fixtures of other conftests and plugins were set up; none cost {NOTABLE_MB} MB or "
            f"{NOTABLE_SECONDS} s.",
            "",
        ]
    lines += [
        f"Other conftests and plugins ({len(others)} fixtures; those costing {NOTABLE_MB} MB or "
        f"{NOTABLE_SECONDS} s, heaviest first):",
        "",
    ]
    rows = [
        (
            code(f.name),
            code(f.location),
            f.scope,
            f.impact.name,
            f.calls,
            mb(f.max_mb),
            sec(f.total_seconds),
        )
        for f in shown
    ]
    headers = [
        "fixture",
        "defined in",
        "scope",
        "impact",
        "setups",
        "max per setup",
        "total time",
    ]
    return lines + md_table(headers, rows, right=(4, 5, 6))


def declared_section(fixtures: Sequence[FixtureStats]) -> list[str]:
    declared = [f for f in fixtures if f.declared_level is not None]
    if not declared:
        return []
    rows = [
        (
            code(f.name),
            f.declared_level.name if f.declared_level else "–",
            f.impact.name,
            mb(f.max_mb),
            "**exceeds**" if f.exceeds_declared else "ok",
            f.declared_description or "–",
        )
        for f in declared
    ]
    lines = ["## Declared impact (`@memory_profile`) against measured", ""]
    return lines + md_table(
        ["fixture", "declared", "measured", "max per setup", "", "declaration"],
        rows,
        right=(3,),
    )


def before_after_section(
    before: TreeProfile, after: TreeProfile, migrated_at: str | None
) -> list[str]:
    lines = [
        "## Before and after the split",
        "",
        "The legacy conftest was profiled with the same command in a temporary copy of the rootdir, with the "
        "migration backup put back in its place"
        + (f" (migration of {migrated_at})" if migrated_at else "")
        + ".",
        "",
    ]
    rows = [
        (label, b, a, change(bv, av))
        for label, b, a, bv, av in _comparison_rows(before, after)
    ]
    return lines + md_table(["", "before", "after", "change"], rows, right=(1, 2, 3))


def _comparison_rows(
    before: TreeProfile, after: TreeProfile
) -> list[tuple[str, str, str, float | None, float | None]]:
    b, a = before.run, after.run
    bc, ac = b.collection, a.collection

    def pick(c: CollectionFigures | None, attribute: str) -> float | None:
        value = None if c is None else getattr(c, attribute)
        return None if value is None else float(value)

    def conftest_mb(tree: TreeProfile) -> float | None:
        c = tree.run.collection
        site = (
            None
            if c is None
            else next((s for s in c.sites if s.site == tree.layout.conftest), None)
        )
        return None if site is None else site.inclusive_mb

    def setups(run: MemoryRun) -> float:
        return sum(f.total_mb for f in run.fixtures)

    rows: list[tuple[str, str, str, float | None, float | None]] = [
        (
            "RSS after collection",
            mb(pick(bc, "end_mb")),
            mb(pick(ac, "end_mb")),
            pick(bc, "end_mb"),
            pick(ac, "end_mb"),
        ),
        (
            "peak RSS by the end of collection",
            mb(pick(bc, "peak_mb")),
            mb(pick(ac, "peak_mb")),
            pick(bc, "peak_mb"),
            pick(ac, "peak_mb"),
        ),
        (
            "collection growth",
            mb(pick(bc, "growth_mb")),
            mb(pick(ac, "growth_mb")),
            pick(bc, "growth_mb"),
            pick(ac, "growth_mb"),
        ),
        (
            "collection time",
            sec(pick(bc, "seconds")),
            sec(pick(ac, "seconds")),
            pick(bc, "seconds"),
            pick(ac, "seconds"),
        ),
        (
            "modules imported while collecting",
            _count(pick(bc, "modules_imported")),
            _count(pick(ac, "modules_imported")),
            pick(bc, "modules_imported"),
            pick(ac, "modules_imported"),
        ),
        (
            "importing the root conftest",
            mb(conftest_mb(before)),
            mb(conftest_mb(after)),
            conftest_mb(before),
            conftest_mb(after),
        ),
        ("fixture setups, sum", mb(setups(b)), mb(setups(a)), setups(b), setups(a)),
        ("peak RSS of the run", mb(b.peak_mb), mb(a.peak_mb), b.peak_mb, a.peak_mb),
        (
            "wall time of the pytest process",
            sec(before.seconds),
            sec(after.seconds),
            before.seconds,
            after.seconds,
        ),
        ("tests passed / failed / skipped", _outcomes(b), _outcomes(a), None, None),
    ]
    return rows


def _count(value: float | None) -> str:
    return "–" if value is None else str(int(value))


def _outcomes(run: MemoryRun) -> str:
    o = run.outcomes
    return f"{o.passed} / {o.failed + o.errors} / {o.skipped}"


def method_section() -> list[str]:
    return [
        "## How these figures were measured",
        "",
        "- The `splitter_memory` pytest plugin (`--fixture-memory`) samples the resident set size (RSS) of the "
        "pytest process (psutil; `/proc/self/statm` on Linux) and the wall clock at every boundary: a fixture "
        "setup starting or ending, a conftest import, a collected file, a new package import. The change since "
        "the previous boundary is charged to whatever was innermost, so nested work is counted once: a "
        "fixture's figure excludes the fixtures it requests (they are set up before it) and "
        "`request.getfixturevalue` calls inside it.",
        "- *Impact* is the costliest single setup on the DESIGN thresholds: MINIMAL < 1 MB, LOW 1–5 MB, "
        "MEDIUM 5–25 MB, HIGH 25–75 MB, VERY_HIGH ≥ 75 MB (MB = MiB).",
        "- Collection: measuring starts in `pytest_load_initial_conftests`, before the first conftest is "
        "imported, and ends at `pytest_collection_finish`; peak RSS is the kernel's high-water mark "
        "(`getrusage`). Package costs come from wrapping `builtins.__import__` and `importlib.import_module` "
        "during collection only; a module executed by a loader directly, and several submodules loaded at once "
        "by `from package import a, b`, are charged to the frame that was running; a third-party package is "
        "charged under its top-level name.",
        "- Limits: RSS moves in pages and allocator arenas, so costs under ~0.1 MB are noise; memory freed "
        "earlier can be reused without RSS growing, so a setup that reuses it shows less than it allocates; "
        "teardown is not measured. Each figure comes from one run: memory figures repeat to within about "
        "1 MB, wall times vary with the machine's load, so compare memory first.",
        "",
    ]


def reproduce_section(profile: Profile) -> list[str]:
    args = " ".join(profile.pytest_args)
    splitter = f"splitter profile {profile.conftest} -o {profile.output}" + (
        f" -- {args}" if args else ""
    )
    lines = [
        "## Reproduce",
        "",
        f"From `{profile.rootdir.name}/` (the rootdir):",
        "",
        "```console",
        f"$ {splitter}",
        f"$ {' '.join(profile.current.command)}",
        "```",
        "",
    ]
    if profile.legacy is not None:
        lines += [
            "The *before* figures come from the same pytest command run on the legacy tree.",
            "",
        ]
    return lines


def summary_line(profile: Profile) -> str:
    """One line for the terminal once the document is written."""
    run = profile.current.run
    c = run.collection
    o = run.outcomes
    parts = [
        f"✓ wrote {profile.output}",
        f"{o.passed + o.failed + o.errors + o.skipped} tests",
    ]
    if c is not None:
        parts.append(
            f"collection {mb(c.end_mb)} ({mb(c.growth_mb)} for conftests and test files) in {sec(c.seconds)}"
        )
    parts.append(f"{len(run.fixtures)} fixtures measured")
    if (
        profile.legacy is not None
        and profile.legacy.run.collection is not None
        and c is not None
    ):
        before = profile.legacy.run.collection
        parts.append(f"collection memory vs legacy {change(before.end_mb, c.end_mb)}")
    if o.failed or o.errors:
        parts.append(f"{o.failed + o.errors} tests failed")
    return "; ".join(parts)
