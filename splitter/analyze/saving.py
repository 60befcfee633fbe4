"""analyze: is a split worth it? The most it can save on the default subset (pure).

Collecting a subset loads the conftest's module-level imports and those of the
test modules; a split can take away only what the conftest alone brings in and
the split still loads while collecting (the root and the eager modules) does not
need. Running the subset also loads what its tests import inside functions and
what the fixtures they request import, so the run saving is what neither needs.
Each figure is the union of measured import costs over ``import pytest``
(:func:`splitter.analyze.impact.union_megabytes`); when the tests import the heavy
libraries themselves the saving is close to nothing, and the estimate says so.
Design and accuracy: docs/MEASURE.md.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from splitter.analyze.graph import definition_dependencies, reachable
from splitter.analyze.impact import resolve_module, union_megabytes
from splitter.model import Analysis, Definition, ModuleCost, SavingEstimate

MIN_SAVING_MB = 5.0  # below this a split is not worth its files
MIN_SAVING_SHARE = 0.10  # nor when it saves less than this share of the imports


def estimate_saving(
    analysis: Analysis, loaded_at_collection: Collection[int]
) -> SavingEstimate | None:
    """What a split that still loads ``loaded_at_collection`` (definition indexes)
    while collecting can save on the analysis's subset; None without a subset."""
    subset = analysis.subset
    if subset is None:
        return None
    costs = {c.module: c for c in (*analysis.modules, *subset.costs)}
    definitions = analysis.model.definitions
    kept = reachable(loaded_at_collection, definition_dependencies(definitions))
    before = top_level_imports(definitions, analysis.package)
    after = top_level_imports((definitions[i] for i in kept), analysis.package)
    run_extra = (*subset.deferred, *fixture_modules(analysis, subset.requested))
    collection = saving(before, after, subset.collected, costs)
    run = saving(before, after, (*subset.collected, *run_extra), costs)
    return SavingEstimate(
        subset=subset.path,
        conftest_mb=union_megabytes(before, costs) or 0.0,
        collection_mb=collection[0],
        collection_saving_mb=collection[1],
        run_mb=run[0],
        run_saving_mb=run[1],
        worth_it=collection[1] >= max(MIN_SAVING_MB, MIN_SAVING_SHARE * collection[0]),
    )


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


def top_level_imports(
    definitions: Iterable[Definition], package: str | None
) -> tuple[str, ...]:
    """Modules these definitions import when the conftest module runs (not in functions)."""
    names = {
        resolve_module(i, package)
        for d in definitions
        for i in d.imports
        if i.runtime and not i.deferred
    }
    return tuple(sorted(n for n in names if n))


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
