"""analyze: is a split worth it? The most it can save on the default subset, and per test file (pure).

Collecting a subset loads the conftest's module-level imports and those of the
test modules; a split can take away only what the conftest alone brings in and
what the split still loads while collecting does not need. With 0.2.0's tier
shape that is (:class:`CollectionLoad`):

- the root conftest's remaining statements as written, and everything they read;
- the eagerly imported tier modules, whose heavy imports that only function
  bodies read move into those bodies (:mod:`splitter.render.localize`): only
  what their statements read while the module is imported stays loaded.

Which names a statement reads at import time and which only in function bodies
comes from :mod:`splitter.analyze.effects`, per definition: an approximation of
localize's rule (docs/MEASURE.md says where they differ).

Running the subset also loads what its tests import inside functions and what
the fixtures they request import, so the run saving is what neither needs.
Each figure is the union of measured import costs over ``import pytest``
(:func:`splitter.analyze.impact.union_megabytes`); when the tests import the heavy
libraries themselves the saving is close to nothing, and the estimate says so.
A module the conftest loads that could not be measured makes every figure a lower
bound, and the verdict then never says "little to gain". Design and accuracy: docs/MEASURE.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from splitter.analyze.effects import statement_effects
from splitter.analyze.gather import literal_string
from splitter.analyze.graph import definition_dependencies
from splitter.analyze.impact import resolve_module, union_megabytes, union_seconds
from splitter.model import (
    Analysis,
    CollectionFloor,
    Definition,
    Impact,
    Kind,
    LightFile,
    ModuleCost,
    SavingEstimate,
)

MIN_SAVING_MB = 5.0  # below this a split is not worth its files
MIN_SAVING_SHARE = 0.10  # nor when it saves less than this share of the imports
HEAVY_MB = 1.0  # what `deferred` lists: the LOW threshold, as the planner's heavy imports


@dataclass(frozen=True)
class CollectionLoad:
    """What a split still runs while pytest collects (built from a plan by ``migrate.planning``).

    ``root``: definitions that stay in the root conftest, as written; ``eager``:
    definitions of eagerly imported modules; ``heavy``: the imports (modules as
    written) the renderer moves into the function bodies that read them.
    """

    root: frozenset[int]
    eager: frozenset[int] = frozenset()
    heavy: frozenset[str] = frozenset()


def estimate_saving(
    analysis: Analysis, load: CollectionLoad, measured: LightFile | None = None
) -> SavingEstimate | None:
    """What a split that still loads ``load`` while collecting can save on the analysis's
    subset, and for a test file that needs no heavy fixture (``measured`` when it was,
    else from import costs); None without a subset."""
    subset = analysis.subset
    if subset is None:
        return None
    costs = {c.module: c for c in (*analysis.modules, *subset.costs)}
    before, after = collection_modules(analysis, load)
    run_extra = (*subset.deferred, *fixture_modules(analysis, subset.requested))
    collection = saving(before, after, subset.collected, costs)
    run = saving(before, after, (*subset.collected, *run_extra), costs)
    unmeasured = unmeasured_modules(analysis, among=(*before, *after))
    return SavingEstimate(
        subset=subset.path,
        conftest_mb=union_megabytes(before, costs) or 0.0,
        collection_mb=collection[0],
        collection_saving_mb=collection[1],
        run_mb=run[0],
        run_saving_mb=run[1],
        worth_it=collection[1] >= max(MIN_SAVING_MB, MIN_SAVING_SHARE * collection[0]),
        light_file=measured or light_file(before, after, costs, analysis.floor),
        deferred=deferred_modules(before, after, costs, analysis.floor.loaded if analysis.floor else ()),
        unmeasured=unmeasured,
    )


def collection_modules(analysis: Analysis, load: CollectionLoad) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What collecting loads before a split and after it (a split that still loads ``load``):
    the conftest's module-level imports, then the split's; both with what pytest imports
    while collecting, split or not: the conftest's packages and its ``pytest_plugins``."""
    definitions, package = analysis.model.definitions, analysis.package
    plugins = (*package_modules(package), *plugin_modules(definitions))
    after = (*collection_imports(definitions, load, package), *plugins)
    return collected_before(definitions, package), after


def collected_before(definitions: Sequence[Definition], package: str | None) -> tuple[str, ...]:
    """What collecting loads with the conftest as it is (the first half of :func:`collection_modules`)."""
    return (*top_level_imports(definitions, package), *package_modules(package), *plugin_modules(definitions))


def saving(
    before: Iterable[str],
    after: Iterable[str],
    needed: Iterable[str],
    costs: Mapping[str, ModuleCost],
) -> tuple[float, float]:
    """(imports as it is, what the split takes away) in MB, ``needed`` loaded either way."""
    needed = tuple(needed)
    as_is = union_megabytes((*before, *needed), costs) or 0.0
    split = union_megabytes((*after, *needed), costs) or 0.0
    return as_is, round(max(as_is - split, 0.0), 1)


def light_file(
    before: Sequence[str], after: Sequence[str], costs: Mapping[str, ModuleCost], floor: CollectionFloor | None
) -> LightFile:
    """Collecting a test file that imports nothing heavy and needs no heavy fixture, before and after.

    What the floor had loaded already (pytest's plugins: ``pytest_asyncio``…) costs nothing more.
    """
    base_mb = floor.megabytes if floor is not None else 0.0
    if floor is not None:
        free = set(floor.loaded)
        before = [m for m in before if m.split(".")[0] not in free]
        after = [m for m in after if m.split(".")[0] not in free]
    as_is = union_megabytes(before, costs) or 0.0
    split = min(union_megabytes(after, costs) or 0.0, as_is)
    seconds_before = union_seconds(before, costs)
    seconds_after = union_seconds(after, costs)
    timed = floor is not None and seconds_before is not None and seconds_after is not None
    return LightFile(
        floor_mb=floor.megabytes if floor is not None else None,
        before_mb=round(base_mb + as_is, 1),
        after_mb=round(base_mb + split, 1),
        before_seconds=round(floor.seconds + (seconds_before or 0.0), 2) if timed and floor else None,
        after_seconds=round(floor.seconds + min(seconds_after or 0.0, seconds_before or 0.0), 2)
        if timed and floor
        else None,
    )


def light_test_file(analysis: Analysis, under: Sequence[str] = ()) -> str | None:
    """A real test module of the subset that imports nothing heavy (< 1 MB in all) at module level
    and requests no fixture rated above MINIMAL: the file migrate collects on its own, before and
    after the split, for the per-file figure. The lightest, then the first by path; only files
    under ``under`` (paths from the rootdir) when given; None unmeasured or when there is none."""
    subset = analysis.subset
    if subset is None or not analysis.measured:
        return None
    costs = {c.module: c for c in (*analysis.modules, *subset.costs)}
    heavy_fixtures = {r.fixture for r in analysis.ratings if r.level > Impact.MINIMAL}
    found: list[tuple[float, str]] = []
    for module in subset.test_modules:
        if under and not any(module.path == u or module.path.startswith(u.rstrip("/") + "/") for u in under):
            continue
        if any(costs[m].error for m in module.collected if m in costs) or heavy_fixtures & set(module.requested):
            continue
        megabytes = union_megabytes(module.collected, costs) or 0.0
        if megabytes < HEAVY_MB:
            found.append((megabytes, module.path))
    return min(found)[1] if found else None


def deferred_modules(
    before: Sequence[str], after: Sequence[str], costs: Mapping[str, ModuleCost], loaded: Iterable[str] = ()
) -> tuple[ModuleCost, ...]:
    """The conftest's heavy imports (≥ 1 MB) a split no longer runs while collecting, heaviest first.

    One that adds less than that to those already listed is left out: a submodule of a
    listed package (``sqlalchemy.orm`` after ``sqlalchemy``), a wrapper of a listed
    library (``tablekit`` importing ``pandas``); so is one pytest had ``loaded`` before
    any conftest (a plugin's package).
    """
    kept, free = set(after), set(loaded)
    heavy = sorted(
        (
            costs[m]
            for m in before
            if m not in kept and m.split(".")[0] not in free and m in costs and (costs[m].megabytes or 0.0) >= HEAVY_MB
        ),
        key=lambda c: (-(c.megabytes or 0.0), c.module),
    )
    listed: list[ModuleCost] = []
    for cost in heavy:
        top = cost.module.split(".")[0]
        within = sum(m.megabytes or 0.0 for m in listed if m.module.split(".")[0] in (*cost.loads, top))
        if (cost.megabytes or 0.0) - within >= HEAVY_MB:
            listed.append(cost)
    return tuple(listed)


def unmeasured_modules(analysis: Analysis, among: Iterable[str]) -> tuple[str, ...]:
    """The modules ``among`` (what the conftest loads while collecting, split or not) whose
    import failed when measured, except optional ones the conftest probes with
    ``try``/``except ImportError`` and that are really missing.

    Only these make the estimate a lower bound: a test file's import that fails is loaded
    split or not, so missing it can only overstate what a split saves, never understate it.
    """
    optional = optional_imports(analysis.model.definitions, analysis.package)
    costs = (*analysis.modules, *(analysis.subset.costs if analysis.subset else ()))
    wanted = set(among)
    return tuple(
        sorted(
            {
                c.module
                for c in costs
                if c.megabytes is None
                and c.module in wanted
                and not (c.module in optional and (c.error or "").startswith(("ModuleNotFoundError", "ImportError")))
            }
        )
    )


def optional_imports(definitions: Iterable[Definition], package: str | None) -> frozenset[str]:
    """Modules imported in optional-import blocks (``try: import x`` / ``except ImportError``)."""
    return frozenset(
        m
        for d in definitions
        if d.kind is Kind.CONDITIONAL and "optional import" in (d.reason or "")
        for i in d.imports
        if (m := resolve_module(i, package))
    )


def package_modules(package: str | None) -> tuple[str, ...]:
    """The packages importing the conftest module runs first (``tests`` for ``tests.conftest``).

    Their ``__init__`` runs before any conftest statement, split or not: sqlmesh's
    ``tests/__init__.py`` imports sqlmesh, so a light test file beside its conftest still
    loads it after a split.
    """
    if not package:
        return ()
    parts = package.split(".")
    return tuple(".".join(parts[: i + 1]) for i in range(len(parts)))


def plugin_modules(definitions: Iterable[Definition]) -> tuple[str, ...]:
    """The modules the conftest's ``pytest_plugins`` names (literal strings), which stays in the root.

    pytest imports them while it collects, before and after a split: what they load is
    never saved (poetry's ``pytest_plugins = ["tests.repositories.fixtures"]`` loads poetry,
    which its conftest imports too: a split of it saves nothing while collecting).
    """
    found: list[str] = []
    for d in definitions:
        if d.kind is not Kind.PYTEST_PLUGINS or not isinstance(d.statement, cst.SimpleStatementLine):
            continue
        for small in d.statement.body:
            value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
            items = [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value]
            found += [name for item in items if (name := literal_string(item))]
    return tuple(dict.fromkeys(found))


def top_level_imports(definitions: Iterable[Definition], package: str | None) -> tuple[str, ...]:
    """Modules these definitions import when the conftest module runs (not in functions)."""
    names = {
        resolve_module(i, package)
        for d in definitions
        for i in d.imports
        if i.runtime and not i.deferred
    }
    return tuple(sorted(n for n in names if n))


def collection_imports(
    definitions: Sequence[Definition], load: CollectionLoad, package: str | None
) -> tuple[str, ...]:
    """Modules the split still imports while collecting (see the module docstring).

    A root statement keeps everything it reads imported. A statement of an eager
    module keeps what it reads while the module is imported (decorators, defaults,
    base classes, class bodies, module-level values, and annotations unless they are
    postponed); a name only its function bodies read keeps its import at the top
    only when that import is light. Imports are followed through what they read.
    """
    binders: dict[str, list[int]] = {}
    for d in definitions:
        for name in d.names:
            binders.setdefault(name, []).append(d.index)
    every = definition_dependencies(definitions)
    postponed = postponed_annotations(definitions)
    full: set[int] = set()
    bodies_only: set[int] = set()  # imports only function bodies of moved code read
    pending = [(i, True) for i in sorted(load.root)]
    for index in sorted(load.eager):
        d = definitions[index]
        full.add(index)
        effects = statement_effects(d.tree).within(set(binders))
        now = set(effects.reads) | set(effects.mutates) | (set() if postponed else set(d.annotation_uses))
        later = set(effects.runtime_reads) | set(effects.runtime_mutates) | set(d.unresolved)
        pending += [(b, True) for n in sorted(now) for b in binders.get(n, ()) if b != index]
        pending += [(b, False) for n in sorted(later - now) for b in binders.get(n, ()) if b != index]
    while pending:
        index, whole = pending.pop()
        if index in full or index in load.eager:
            continue
        kind = definitions[index].kind
        if not whole and kind is Kind.IMPORT:
            bodies_only.add(index)
            continue
        if not whole and kind is not Kind.CONDITIONAL and index not in load.root:
            continue  # a lazily loaded definition: its module loads when the body runs
        full.add(index)
        bodies_only.discard(index)
        pending += [(b, True) for b in every.get(index, ())]
    names = {
        resolve_module(i, package)
        for index in full | bodies_only
        for i in definitions[index].imports
        if i.runtime
        and not i.deferred
        and not (index not in full and i.level == 0 and i.name in load.heavy)
    }
    return tuple(sorted(n for n in names if n))


def postponed_annotations(definitions: Iterable[Definition]) -> bool:
    """Whether the conftest has ``from __future__ import annotations`` (the split modules keep it)."""
    for d in definitions:
        statement = d.statement
        if d.kind is Kind.IMPORT and isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.ImportFrom)
                    and isinstance(small.module, cst.Name)
                    and small.module.value == "__future__"
                    and not isinstance(small.names, cst.ImportStar)
                    and any(isinstance(a.name, cst.Name) and a.name.value == "annotations" for a in small.names)
                ):
                    return True
    return False


def fixture_modules(analysis: Analysis, requested: Iterable[str]) -> tuple[str, ...]:
    """Modules the conftest's fixtures that the tests use import (autouse ones included)."""
    wanted = set(requested)
    names = {
        node.name
        for node in analysis.graph.nodes
        if node.name in wanted
        or any(
            f.name == node.name and f.autouse
            for f in analysis.model.definitions[node.definition].fixtures
        )
    }
    return tuple(sorted({m for n in names for m in analysis.rating(n).modules}))
