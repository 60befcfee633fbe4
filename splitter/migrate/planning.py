"""The split plan of a conftest on disk: its ``[tool.splitter]`` settings and what its tests
import from it or set on it (I/O: reads the tree).

Apart from :mod:`splitter.migrate.migration` so that ``splitter analyze`` plans
without loading what migrating needs (black, the verifier, the safety layer).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from pathlib import Path

from splitter.analyze.analysis import AnalyzeSettings, light_file_measured
from splitter.analyze.saving import CollectionLoad, estimate_saving
from splitter.analyze.split import LOADER_STEM, is_block, is_legacy_split, is_split, statement_regions
from splitter.files import find_rootdir, module_names, read_source
from splitter.model import Analysis, SavingEstimate
from splitter.plan.assign import SplitPlan, plan_split
from splitter.settings import load_split_settings
from splitter.verify.imports import scan_conftest_imports, scan_conftest_writes


def is_migrated(source: str) -> bool:
    """Whether ``source`` is a root conftest splitter already split (either shape)."""
    return is_split(source)


def registered_source(conftest: Path, source: str) -> str:
    """What ``analyze`` reads for ``conftest``: its source, or for a split of today's shape the
    root with ``conftest_loader.py`` in place of splitter's block, so the fixtures the split
    registers from the conftest (eager imports, stubs) are listed as a 0.1.0 split's were."""
    loader = conftest.parent / f"{LOADER_STEM}.py"
    if not is_split(source) or is_legacy_split(source) or not loader.is_file():
        return source
    from splitter.analyze.parse import parse_conftest

    model = parse_conftest(source, str(conftest))
    block = [d.index for d in model.definitions if is_block(d)]
    if not block:
        return source
    regions = statement_regions(source)
    start, end = regions[block[0]][0], regions[block[-1]][1]
    return source[:start] + "\n\n" + read_source(loader).text.strip("\n") + "\n" + source[end:]


def loaded_at_collection(plan: SplitPlan) -> frozenset[int]:
    """Definitions the split still runs while collecting: the root's and the eager modules'."""
    return frozenset(
        p.definition
        for p in plan.placements
        if not p.copied and (p.group is None or plan.settings.is_eager(p.group))
    )


def collection_load(plan: SplitPlan) -> CollectionLoad:
    """What the split still runs while collecting, for the saving estimate: the root conftest as
    written, and the eager modules with their heavy imports moved into the bodies that read them."""
    loaded = loaded_at_collection(plan)
    root = frozenset(i for i in loaded if plan.placement(i).group is None)
    return CollectionLoad(root=root, eager=loaded - root, heavy=plan.heavy_imports)


def saving_estimate(
    conftest: Path, analysis: Analysis, plan: SplitPlan, python: str, cache_dir: Path | None = None
) -> SavingEstimate | None:
    """What ``plan`` saves, the per-file figure measured in pytest processes where it can be
    (measured with ``python``; the analysis's cache unless ``cache_dir``)."""
    load = collection_load(plan)
    measuring = AnalyzeSettings(interpreter=python)
    measuring = dataclasses.replace(measuring, cache_dir=cache_dir) if cache_dir else measuring
    return estimate_saving(analysis, load, light_file_measured(conftest, analysis, load, measuring))


def plan_conftest(conftest: Path, analysis: Analysis, keep: Collection[str] = ()) -> SplitPlan:
    """The split of ``conftest``: its ``[tool.splitter]`` settings and the names its tests import.

    ``keep``: names that stay in the root conftest besides the settings' own (``--keep``).
    """
    names = module_names(conftest)
    rootdir = find_rootdir(conftest)
    test_imports = {i.name for i in scan_conftest_imports(rootdir) if i.module in names}
    test_writes = {name for module, name in scan_conftest_writes(rootdir) if module in names}
    settings = load_split_settings(conftest)
    settings = dataclasses.replace(settings, keep=settings.keep | frozenset(keep))
    return plan_split(analysis, settings, test_imports, test_writes)
