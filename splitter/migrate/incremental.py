"""Incremental ``splitter migrate`` on an already split tree.

Definitions added to the root conftest since the split are planned by the same
rules as the first migration: the split is joined in memory into the conftest it
stands for, that conftest is analyzed and planned, and every hand-written root
definition the plan moves goes into its planned module — when that module
exists — with the imports it needs. The rest of the tree stays as it is, and
``sync`` then regenerates the loader. Writing backs up each file it changes into
``.splitter/incremental/``, verifies with pytest and puts them back on a difference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from splitter.analyze.analysis import AnalyzeSettings, analyze_source
from splitter.analyze.parse import parse_conftest
from splitter.analyze.split import SplitModule, SplitRoot, is_block, statement_regions
from splitter.files import read_source
from splitter.model import Analysis, Definition, Kind
from splitter.plan.assign import SplitPlan, needs
from splitter.render.format import format_source, load_black_mode
from splitter.render.imports import filter_import, sibling_import
from splitter.render.join import render_joined, statement_code
from splitter.safety.disk import atomic_write, remove
from splitter.safety.guards import backup_directory
from splitter.safety.write import NewFile
from splitter.errors import UserError
from splitter.files import find_rootdir
from splitter.migrate.result import MigrateResult, MigrateSettings, Migration, Outcome, Progress, verify_settings
from splitter.migrate.sync import prepare_sync, read_modules, read_split
from splitter.safety.preflight import check_interpreter
from splitter.verify.compare import compare
from splitter.verify.verifier import record_tree

INCREMENTAL = "incremental"  # the backup directory's folder for the files an incremental migrate changes


@dataclass(frozen=True)
class Increment:
    """What an incremental migrate changes: the analysis and plan of the joined split, and the new files."""

    analysis: Analysis
    plan: SplitPlan
    files: tuple[NewFile, ...]  # only the files that change; the root first
    moved: tuple[str, ...]  # what moved, "name → module.py"
    warnings: tuple[str, ...]


def plan_increment(
    conftest: Path, settings: AnalyzeSettings, plan_of: Callable[[Path, Analysis], SplitPlan]
) -> Increment | None:
    """The increment of a split tree; ``None`` when no root definition has to move."""
    source = read_source(conftest).text
    root = read_split(conftest)
    modules = read_modules(conftest, root)
    mode = load_black_mode(conftest.parent)
    analysis = analyze_source(conftest, format_source(render_joined(root, modules), mode), settings)
    plan = plan_of(conftest, analysis)
    moves, warnings = _moves(root, modules, analysis, plan)
    if not moves:
        return None
    package = (conftest.parent / "__init__.py").is_file()
    sources = {f"{m.stem}.py": _with_moves(m, moves, root, modules, package) for m in modules}
    sources = {name: format_source(text, mode) for name, text in sources.items()}
    sources[conftest.name] = _without(source, {index for index, _, _ in moves})
    if not root.legacy:  # the root imports what it still reads from the moved definitions
        sources[conftest.name] = _with_imports(sources[conftest.name], root, moves, package)
    synced = prepare_sync(conftest, sources)
    files = [NewFile(f.name, f.new) for f in synced.files if f.name == conftest.name or f.old != f.new]
    files += [NewFile(name, text) for name, text in sources.items() if name != conftest.name and text != read_source(conftest.parent / name).text]
    moved = tuple(f"{', '.join(d.names)} → {stem}.py" for _, d, stem in moves)
    return Increment(analysis, plan, tuple(files), moved, tuple(warnings))


Moves = list[tuple[int, Definition, str]]  # (index in the root, definition in the joined conftest, target stem)


def _moves(root: SplitRoot, modules: Sequence[SplitModule], analysis: Analysis, plan: SplitPlan) -> tuple[Moves, list[str]]:
    """The hand-written root definitions the plan places in an existing module."""
    joined = {_identity(d): d for d in analysis.model.definitions}
    stems = {m.stem for m in modules}
    moves: Moves = []
    warnings: list[str] = []
    for d in root.hand_written:
        twin = joined.get(_identity(d))
        placement = plan.placement(twin.index) if twin is not None else None
        if twin is None or placement is None or placement.group is None or placement.copied:
            continue
        stem = plan.settings.stem(placement.group)
        if stem in stems:
            moves.append((d.index, twin, stem))
        else:
            warnings.append(f"{', '.join(d.names)} would go to {stem}.py, which this split has not; it stays in the root")
    stay = {name for d in root.hand_written if d.index not in {i for i, _, _ in moves} for name in d.names}
    imported = {name for d in root.hand_written if d.kind is Kind.IMPORT for name in d.names}
    blocked = [(i, d, s) for i, d, s in moves if (needs(d) & stay) - imported]
    for _, d, _ in blocked:
        warnings.append(f"{', '.join(d.names)} reads names only the root defines; it stays in the root")
    return [m for m in moves if m not in blocked], warnings


def _identity(d: Definition) -> tuple[str, ...]:
    """What finds a root statement again in the joined conftest (black may have reformatted it)."""
    return (d.kind.value, *d.names) if d.names else (statement_code(d),)


def _with_moves(module: SplitModule, moves: Moves, root: SplitRoot, modules: Sequence[SplitModule], package: bool) -> str:
    """The module's source with the definitions moved into it, and the imports they need after its own."""
    source = module.model.source
    mine = [d for _, d, stem in moves if stem == module.stem]
    if not mine:
        return source
    bound = {n for d in module.model.definitions for n in d.names} | {n for d in mine for n in d.names}
    wanted = set().union(*(needs(d) for d in mine)) - bound
    imports = _imports_for(wanted, root, modules, moves, module.stem, package)
    regions = statement_regions(source)
    last_import = max((d.index for d in module.model.definitions if d.kind is Kind.IMPORT), default=None)
    cut = regions[last_import][1] if last_import is not None else (regions[0][1] if regions else 0)
    head, tail = source[:cut], source[cut:]
    moved = "\n\n\n".join(d.source.strip("\n") for d in mine)
    return head + "".join(imports) + tail.rstrip("\n") + "\n\n\n" + moved + "\n"


def _imports_for(
    wanted: set[str], root: SplitRoot, modules: Sequence[SplitModule], moves: Moves, stem: str, package: bool
) -> list[str]:
    """Import lines binding ``wanted`` in module ``stem``: the root's imports, filtered, and sibling imports."""
    lines: list[str] = []
    for d in root.hand_written:
        if d.kind is Kind.IMPORT or (d.kind is Kind.CONDITIONAL and d.imports and not d.fixtures):
            text = filter_import(d.tree, wanted) if set(d.names) & wanted else None
            if text is not None:
                lines.append(text.strip("\n") + "\n")
                wanted = wanted - set(d.names)
    homes: dict[str, set[str]] = {}
    for m in modules:
        for d in m.members:
            for name in set(d.names) & wanted:
                homes.setdefault(m.stem, set()).add(name)
    for _, d, target in moves:
        for name in set(d.names) & wanted:
            homes.setdefault(target, set()).add(name)
    lines += [sibling_import(other, names, relative=package) for other, names in homes.items() if other != stem]
    return lines


def _with_imports(source: str, root: SplitRoot, moves: Moves, package: bool) -> str:
    """``source`` (the root without the moved definitions) importing, after its generated block,
    the names its remaining statements read from them, as a person would."""
    model = parse_conftest(source, root.model.path)
    moved = {name: stem for _, d, stem in moves for name in d.names}
    read = {n for d in model.definitions for n in needs(d)} - {n for d in model.definitions for n in d.names}
    wanted: dict[str, set[str]] = {}
    for name in sorted(read & set(moved)):
        wanted.setdefault(moved[name], set()).add(name)
    if not wanted:
        return source
    block = [d.index for d in model.definitions if is_block(d)]
    regions = statement_regions(source)
    cut = regions[block[-1]][1] if block else len(source)
    lines = "".join(sibling_import(stem, names, relative=package) for stem, names in sorted(wanted.items()))
    return source[:cut] + "\n" + lines + source[cut:]


def _without(source: str, indexes: set[int]) -> str:
    """``source`` without the top-level statements at ``indexes``."""
    regions = statement_regions(source)
    head = source[: regions[0][0]] if regions else source
    tail = source[regions[-1][1] :] if regions else ""
    return head + "".join(source[a:b] for i, (a, b) in enumerate(regions) if i not in indexes) + tail


def write_increment(conftest: Path, files: Sequence[NewFile], backup_dir: Path | None) -> None:
    """Back up the files about to change into ``.splitter/incremental/``, then write them (the root last)."""
    saved = backup_directory(conftest, backup_dir) / INCREMENTAL
    saved.mkdir(parents=True, exist_ok=True)
    for new in files:
        atomic_write(saved / new.name, (conftest.parent / new.name).read_bytes())
    for new in sorted(files, key=lambda f: f.name == conftest.name):
        atomic_write(conftest.parent / new.name, new.data)


def undo_increment(conftest: Path, backup_dir: Path | None) -> None:
    """Put back the files an incremental migrate changed (the root first, so pytest never sees a half state)."""
    saved = backup_directory(conftest, backup_dir) / INCREMENTAL
    names = sorted((p.name for p in saved.iterdir()), key=lambda n: n != conftest.name)
    for name in names:
        atomic_write(conftest.parent / name, (saved / name).read_bytes())
    finish_increment(conftest, backup_dir)


def finish_increment(conftest: Path, backup_dir: Path | None) -> None:
    """Drop the backup of a verified incremental migrate."""
    saved = backup_directory(conftest, backup_dir) / INCREMENTAL
    for path in saved.iterdir():
        remove(path)
    saved.rmdir()


def run_increment(settings: MigrateSettings, migration: Migration, progress: Progress) -> MigrateResult:
    """Back up, write, verify with pytest; put the files back when the fixture API changed."""
    if not settings.verify:
        write_increment(settings.path, migration.files, settings.backup_dir)
        finish_increment(settings.path, settings.backup_dir)
        return MigrateResult(Outcome.UNVERIFIED, migration)
    check_interpreter(settings.python, otherwise="use --no-verify")
    rootdir = find_rootdir(settings.path)
    verify = verify_settings(settings, rootdir)
    progress("recording the fixture API before the migration")
    before, failures = record_tree(rootdir, verify, (), progress)
    if failures:
        raise UserError(f"pytest does not complete on the tree as it is ({failures[0].label}); fix that first or use --no-verify")
    write_increment(settings.path, migration.files, settings.backup_dir)
    try:
        progress("recording the fixture API after the migration")
        after, failures = record_tree(rootdir, verify, before.api.imports, progress)
        differences = tuple(compare(before.api, after.api))
    except BaseException:
        undo_increment(settings.path, settings.backup_dir)
        raise
    if differences or failures:
        undo_increment(settings.path, settings.backup_dir)
        return MigrateResult(Outcome.ROLLED_BACK, migration, before, after, differences, failures)
    finish_increment(settings.path, settings.backup_dir)
    return MigrateResult(Outcome.MIGRATED, migration, before, after)
