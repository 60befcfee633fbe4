"""analyze: read → parse → graph → (measure) → rate, for one conftest file.

The one library function ``splitter analyze`` and ``splitter graph`` call. It
reads the file and, unless told not to, measures imports in subprocesses;
everything in between is pure.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from splitter.analyze.cache import default_cache_dir
from splitter.errors import UserError
from splitter.files import find_module_file, find_rootdir, import_roots, package_of, read_source
from splitter.gcpolicy import fewer_full_collections
from splitter.analyze.graph import build_graph
from splitter.analyze.impact import chains, rate_impact, runtime_modules
from splitter.analyze.measure import MeasureSettings, Probe, Progress, measure_modules
from splitter.model import Analysis, ConftestModel
from splitter.analyze.imported import ModuleSource, with_imported_fixtures
from splitter.analyze.parse import parse_conftest


@dataclass(frozen=True)
class AnalyzeSettings:
    """How to analyze: measure imports or rate from static signals only."""

    measure: bool = True
    interpreter: str = sys.executable
    cache_dir: Path = field(default_factory=default_cache_dir)
    jobs: int = 2


@fewer_full_collections()
def analyze_file(
    path: Path,
    settings: AnalyzeSettings = AnalyzeSettings(),
    progress: Progress | None = None,
) -> Analysis:
    """Everything splitter knows about the conftest at ``path``."""
    return analyze_source(path, read_source(path).text, settings, progress)


def analyze_source(
    path: Path, text: str, settings: AnalyzeSettings = AnalyzeSettings(), progress: Progress | None = None
) -> Analysis:
    """:func:`analyze_file` of ``text`` standing in for the conftest at ``path`` (a joined split, say)."""
    measure = MeasureSettings(
        rootdir=find_rootdir(path),
        import_roots=import_roots(path),
        interpreter=settings.interpreter,
        cache_dir=settings.cache_dir,
        jobs=settings.jobs,
    )
    probe = Probe(measure) if settings.measure else None
    package = package_of(path)
    model = with_imported_fixtures(
        parse_conftest(text, display_path(path)), package, project_sources(import_roots(path)), parse_conftest
    )
    graph = build_graph(model)
    costs = None
    if probe is not None:
        costs = measure_modules(
            runtime_modules(model.definitions, package), measure, probe, progress
        )
    ratings = rate_impact(model, graph, costs, package)
    return Analysis(
        model=model,
        graph=graph,
        ratings=ratings,
        modules=tuple(sorted(costs.values(), key=lambda c: c.module)) if costs else (),
        chains=chains(graph, ratings),
        measured=costs is not None,
    )


def project_sources(roots: tuple[Path, ...]) -> Callable[[str], ModuleSource | None]:
    """Reads the source of a module of the project (under ``roots``) that mentions pytest.

    A module that never mentions pytest defines no fixture; package ``__init__``
    files are read all the same, because they re-export.
    """

    def lookup(name: str) -> ModuleSource | None:
        found = find_module_file(name, roots)
        if found is None:
            return None
        file, is_package = found
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        if "pytest" not in text and not is_package:
            return None
        return ModuleSource(display_path(file), text, is_package)

    return lookup


def display_path(path: Path) -> str:
    """The path as the user gave it, with forward slashes on every platform."""
    return path.as_posix()


def require_fixtures(model: ConftestModel) -> None:
    """A conftest without fixtures has nothing to analyze or split."""
    if not model.fixtures:
        raise UserError(f"{model.path} defines no fixtures; there is nothing to split")
