"""analyze: read → parse → graph → (measure) → rate, for one conftest file.

The one library function ``splitter analyze`` and ``splitter graph`` call. It
reads the file and, unless told not to, measures imports in subprocesses;
everything in between is pure.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst

from splitter.analyze.cache import default_cache_dir
from splitter.errors import UserError
from splitter.files import (
    default_subset,
    find_module_file,
    find_rootdir,
    import_roots,
    package_of,
    read_source,
    test_files,
)
from splitter.gcpolicy import fewer_full_collections
from splitter.analyze.floor import FloorMeasurement, measured_light_file, start_light_file_side
from splitter.analyze.graph import build_graph
from splitter.analyze.impact import chains, rate_impact, resolve_module, runtime_modules
from splitter.analyze.measure import EarlyMeasurement, MeasureSettings, Probe, Progress, measure_modules
from splitter.analyze.imported import with_imported_fixtures
from splitter.analyze.memo import remembered_parse, remembered_usage
from splitter.analyze.saving import (
    CollectionLoad,
    collected_before,
    collection_modules,
    optional_imports,
    package_modules,
    plugin_modules,
)
from splitter.analyze.usage import FileUsage
from splitter.analyze.parse import parse_module
from splitter.analyze.prelude import read_prelude
from splitter.analyze.references import StatementIndex
from splitter.analyze.sources import module_sources
from splitter.analyze.split import is_split
from splitter.model import Analysis, ConftestModel, Definition, ImportedModule, LightFile, Prelude, Subset, TestModuleUsage


@dataclass(frozen=True)
class AnalyzeSettings:
    """How to analyze: measure imports or rate from static signals only."""

    measure: bool = True
    interpreter: str = sys.executable
    cache_dir: Path = field(default_factory=default_cache_dir)
    jobs: int = 2
    fork: bool = True  # measure in children forked from a worker (see measure.py)
    subset: bool = False  # also read and measure the default subset's tests (the estimate)


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
    measure = measure_settings(path, settings)
    probe = Probe(measure) if settings.measure else None
    package = package_of(path)
    subset = None
    floor = None
    if probe is not None and settings.subset:
        floor = FloorMeasurement(measure, probe)
        subset = read_subset(path, measure.rootdir, package, settings.cache_dir)
    parse = remembered_parse(settings.cache_dir)
    remembered = parse.recall(text, display_path(path))
    tree = None
    early = None
    if probe is not None:
        tree = parse_module(text, display_path(path)) if remembered is None else None
        statements = numbered_statements(remembered, tree)
        measure = replace(measure, prelude=conftest_prelude(path, text, statements, package, measure.path_entries))
        known = (*likely_imports(text, package, measure.path_entries), *subset_modules(subset, ()))
        early = EarlyMeasurement(known, measure, probe, progress)
    try:
        model = with_imported_fixtures(
            remembered or parse(text, display_path(path), tree),
            package,
            module_sources(import_roots(path), settings.interpreter),
            parse,
        )
        model = with_submodule_imports(model, package, measure.path_entries)
        graph = build_graph(model)
        own = runtime_modules(model.definitions, package)
    except BaseException:
        if early is not None:
            early.cancel()
        raise
    costs = None
    if floor is not None and probe is not None and graph.nodes and not is_split(text):
        # the per-file figure's "before" collection needs no plan: it runs while measuring ends
        # and the plan is made (:func:`light_file_measured` asks for it)
        start_light_file_side(collected_before(model.definitions, package), measure, probe, package_modules(package))
    if probe is not None:
        extra = subset_modules(subset, own)
        if subset is not None:  # the estimate counts what pytest_plugins loads, before and after
            collected = {*package_modules(package), *plugin_modules(model.definitions)}
            extra = tuple(sorted(set(extra) | (collected - set(own))))
        costs = measure_modules((*own, *extra), measure, probe, progress, early)
        subset = subset and replace(subset, costs=tuple(costs[m] for m in extra if m in costs))
        costs = {m: costs[m] for m in own if m in costs}
    ratings = rate_impact(model, graph, costs, package)
    return Analysis(
        model=model,
        graph=graph,
        ratings=ratings,
        modules=tuple(sorted(costs.values(), key=lambda c: c.module)) if costs else (),
        chains=chains(graph, ratings),
        measured=costs is not None,
        package=package,
        subset=subset,
        prelude=measure.prelude if costs is not None else None,
        floor=floor.result() if floor is not None else None,
    )


def with_submodule_imports(model: ConftestModel, package: str | None, roots: Sequence[Path]) -> ConftestModel:
    """The model with ``from X import a`` also importing ``X.a`` where that is one of the
    project's modules (found on disk under ``roots``, importing nothing): ``from .. import
    orm`` loads ``jupyterhub.orm`` and all it imports, not only the ``jupyterhub`` package,
    so measuring, rating and the estimate see it. The added import keeps the statement's
    level, as the renderer sees the statement."""
    changed = False
    definitions = []
    for d in model.definitions:
        extra = [
            sub
            for i in d.imports
            if i.names
            for name in i.names
            if (sub := replace(i, name=f"{i.name}.{name}" if i.name else name, names=())) not in d.imports
            and (module := resolve_module(sub, package))
            and find_module_file(module, roots) is not None
        ]
        changed |= bool(extra)
        definitions.append(replace(d, imports=tuple(dict.fromkeys((*d.imports, *extra)))) if extra else d)
    return replace(model, definitions=tuple(definitions)) if changed else model


def measure_settings(path: Path, settings: AnalyzeSettings) -> MeasureSettings:
    """How imports of the conftest at ``path`` are measured."""
    return MeasureSettings(
        rootdir=find_rootdir(path),
        import_roots=import_roots(path),
        interpreter=settings.interpreter,
        cache_dir=settings.cache_dir,
        jobs=settings.jobs,
        fork=settings.fork,
    )


def light_file_measured(
    path: Path, analysis: Analysis, load: CollectionLoad, settings: AnalyzeSettings = AnalyzeSettings()
) -> LightFile | None:
    """The per-file figure of a split that still loads ``load``, measured in one pytest process
    per side (:func:`splitter.analyze.floor.measured_light_file`); None when nothing was
    measured or that failed (the estimate then adds import costs to the floor)."""
    if not (settings.measure and analysis.measured and analysis.floor and analysis.prelude is not None):
        return None
    measure = replace(measure_settings(path, settings), prelude=analysis.prelude)
    modules = collection_modules(analysis, load)
    optional = optional_imports(analysis.model.definitions, analysis.package)
    return measured_light_file(
        measure, Probe(measure), analysis.floor, modules, package_modules(analysis.package), optional
    )


def numbered_statements(
    model: ConftestModel | None, tree: cst.Module | None
) -> list[tuple[int, cst.BaseStatement]]:
    """The conftest's top-level statements with their first lines, from a remembered model or a fresh tree."""
    if model is not None:
        return [(d.span.start_line, d.statement) for d in model.definitions]
    assert tree is not None
    index = StatementIndex(tree)
    return [(index.span(s).start_line, s) for s in tree.body]


def conftest_prelude(
    path: Path,
    text: str,
    statements: Sequence[tuple[int, cst.BaseStatement]],
    package: str | None,
    roots: Sequence[Path],
) -> Prelude:
    """What the conftest at ``path`` does to the process before its imports (docs/MEASURE.md).

    Of its side-effect imports, those of the project's own modules are replayed (found
    under the import roots or a ``sys.path`` entry the conftest adds, importing nothing).
    """
    prelude = read_prelude(statements, text, str(path.resolve()), package)
    search = (*roots, *map(Path, prelude.paths))
    return prelude.keeping_imports(lambda module: find_module_file(module, search) is not None)


def likely_imports(text: str, package: str | None, roots: Sequence[Path] = ()) -> tuple[str, ...]:
    """The modules the conftest imports, as Python's parser sees them: what
    :func:`runtime_modules` will find once libcst has analysed it (with ``from X import a``
    importing ``X.a`` where that is a module under ``roots``, as :func:`with_submodule_imports`
    adds), found in a few milliseconds so that measuring can start first (none when it does
    not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ()
    found: list[ImportedModule] = []
    submodules: list[ImportedModule] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found += [ImportedModule(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            found.append(ImportedModule(node.module or "", node.level))
            submodules += [
                ImportedModule(f"{node.module}.{alias.name}" if node.module else alias.name, node.level)
                for alias in node.names
                if alias.name != "*"
            ]
        pending.extend(ast.iter_child_nodes(node))
    modules = {m for i in found if (m := resolve_module(i, package))}
    modules |= {
        m for i in submodules if roots and (m := resolve_module(i, package)) and find_module_file(m, roots) is not None
    }
    return tuple(sorted(modules))


def _is_type_checking(test: ast.expr) -> bool:
    name = test.attr if isinstance(test, ast.Attribute) else test.id if isinstance(test, ast.Name) else None
    return name == "TYPE_CHECKING"


def read_subset(conftest: Path, rootdir: Path, package: str | None, cache_dir: Path) -> Subset | None:
    """What the test modules of the default subset import and request (None without any).

    The conftest module itself is left out of their imports: it is loaded anyway.
    Each file's usage is remembered in ``cache_dir`` by its content.
    """
    directory = default_subset(conftest)
    usage_of = remembered_usage(cache_dir, directory)
    itself = f"{package}.conftest" if package else "conftest"
    collected: set[str] = set()
    deferred: set[str] = set()
    requested: set[str] = set()
    files = [f for f in test_files(directory) if f.resolve() != conftest.resolve()]
    modules: list[tuple[Path, FileUsage]] = []
    for file in files:
        try:
            usage = usage_of(read_source(file).text, package_of(file))
        except UserError:
            continue
        if usage is not None:
            collected |= usage.collected
            deferred |= usage.deferred
            requested |= usage.requested
            if file.name != "conftest.py":
                modules.append((file, usage))
    usage_of.save()
    if not files:
        return None
    outside = {m for m in collected | deferred if m != itself and not m.startswith(itself + ".")}
    return Subset(
        path=shown(directory, rootdir),
        files=len(files),
        collected=tuple(sorted(collected & outside)),
        deferred=tuple(sorted(deferred & outside)),
        requested=tuple(sorted(requested)),
        test_modules=tuple(
            TestModuleUsage(shown(file, rootdir), tuple(sorted(usage.collected & outside)), tuple(sorted(usage.requested)))
            for file, usage in modules
        ),
    )


def subset_modules(subset: Subset | None, own: Sequence[str]) -> tuple[str, ...]:
    """The subset's modules the conftest does not import itself (to be measured too)."""
    if subset is None:
        return ()
    return tuple(sorted((set(subset.collected) | set(subset.deferred)) - set(own)))


def shown(directory: Path, rootdir: Path) -> str:
    """A folder relative to the rootdir, with forward slashes ("." for the rootdir)."""
    try:
        return directory.resolve().relative_to(rootdir.resolve()).as_posix()
    except ValueError:
        return directory.as_posix()


def display_path(path: Path) -> str:
    """The path as the user gave it, with forward slashes on every platform."""
    return path.as_posix()


def require_fixtures(model: ConftestModel) -> None:
    """A conftest without fixtures has nothing to analyze or split."""
    if not model.fixtures:
        raise UserError(f"{model.path} defines no fixtures; there is nothing to split")
