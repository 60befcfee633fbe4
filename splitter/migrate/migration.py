"""``splitter migrate``: analyze → plan → render → check, then diff or write and verify.

:func:`prepare_migration` does everything up to the formatted files and writes
nothing (a dry run is that plus a diff); :func:`run_migration` backs up, writes,
verifies with pytest and rolls back automatically when the fixture API changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from splitter import __version__
from splitter.analyze.analysis import AnalyzeSettings, analyze_file, require_fixtures
from splitter.analyze.saving import light_test_file
from splitter.plan.check import split_problems
from splitter.errors import UserError
from splitter.files import display_path, find_rootdir, read_source
from splitter.gcpolicy import fewer_full_collections
from splitter.safety.guards import backup_directory, check_can_write, check_targets
from splitter.safety.journal import Operation, read_journal
from splitter.safety.preflight import check_input_path, check_interpreter, check_tree_state, newline_of, with_newline
from splitter.model import Kind
from splitter.render.format import project_style
from splitter.render.modules import render_split
from splitter.verify.compare import Difference
from splitter.verify.registration import registration_mismatches
from splitter.verify.verifier import PytestFailure, VerifySettings, confirm_outcomes, record_tree, selected_paths
from splitter.verify.snapshot import Recording
from splitter.safety.manifest import FILENAME
from splitter.safety.restore import read_manifest, restore_migration
from splitter.safety.write import NewFile, finish_migration, write_migration
from splitter.migrate.join import retire_joined_migration
from splitter.migrate.planning import is_migrated, plan_conftest
from splitter.migrate.replan import names_to_keep
from splitter.migrate.incremental import plan_increment, run_increment
from splitter.migrate.result import MigrateResult, MigrateSettings, Migration, Outcome, Progress, verify_settings

__all__ = [  # the data lives in splitter.migrate.result; callers may take it from here too
    "MigrateResult",
    "MigrateSettings",
    "Migration",
    "Outcome",
    "Progress",
    "interrupted_operation",
    "nothing_to_do",
    "prepare_migration",
    "recover_interrupted",
    "run_migration",
    "verify_settings",
]


@fewer_full_collections()
def prepare_migration(settings: MigrateSettings, progress: Progress = lambda _: None) -> Migration | None:
    """Check the input, analyze, plan, render, format and check; ``None`` when there is nothing to do."""
    conftest = settings.path
    check_input_path(conftest)
    source = read_source(conftest)
    check_tree_state(conftest, settings.backup_dir, is_migrated(source.text))
    if is_migrated(source.text):
        return _prepare_increment(settings, progress)
    progress("analyzing the conftest")
    # subset: the tests' imports are measured too (cached like analyze's), to pick the light test file
    analyze = AnalyzeSettings(measure=settings.measure, interpreter=settings.python, subset=settings.measure)
    analysis = analyze_file(conftest, analyze)
    require_fixtures(analysis.model)
    plan = plan_conftest(conftest, analysis, settings.keep)
    if not plan.moves_anything:
        return None
    package = (conftest.parent / "__init__.py").is_file()
    style = project_style(conftest.parent, [d.source.lstrip("\n") for d in analysis.model.definitions])
    rendered = render_split(
        analysis.model, plan, conftest_name=conftest.name, package=package, version=__version__, style=style
    )
    files = tuple(NewFile(f.name, f.source) for f in rendered)
    problems = split_problems(analysis.model, plan, {f.name: f.text for f in files})
    if problems:
        raise RuntimeError("the rendered split failed its self-check: " + "; ".join(problems))
    check_targets(conftest, [f.name for f in files])
    newline = newline_of(source.text)
    files = tuple(NewFile(f.name, with_newline(f.text, newline)) for f in files)
    return Migration(conftest, analysis, plan, files)


def interrupted_operation(settings: MigrateSettings) -> Operation | None:
    """The migrate or restore of this conftest that was interrupted, if any (its journal is there)."""
    journal = read_journal(backup_directory(settings.path, settings.backup_dir))
    return journal.operation if journal else None


def recover_interrupted(settings: MigrateSettings) -> None:
    """Undo an interrupted migrate or finish an interrupted restore, so migrate starts from the original."""
    restore_migration(settings.path, settings.backup_dir)


def nothing_to_do(settings: MigrateSettings) -> MigrateResult:
    """The result of a migration that found nothing to change."""
    return MigrateResult(Outcome.NOTHING_TO_DO, None, reason=_nothing_reason(settings.path))


def run_migration(
    settings: MigrateSettings, migration: Migration, progress: Progress = lambda _: None
) -> MigrateResult:
    """Back up, write, verify with pytest; roll back automatically when the API changed.

    Anything that stops the verification (an error, Ctrl-C) rolls back too; a kill
    leaves the journal, and the next restore or migrate rolls back.
    """
    if migration.incremental:
        return run_increment(settings, migration, progress)
    retire_joined_migration(settings.path, settings.backup_dir)
    check_can_write(settings.path, [f.name for f in migration.files], settings.backup_dir)
    if not settings.verify:
        write_migration(settings.path, migration.files, settings.backup_dir, keep=_kept(migration))
        return MigrateResult(Outcome.UNVERIFIED, migration)
    check_interpreter(settings.python, otherwise="use --no-verify")
    rootdir = find_rootdir(settings.path)
    verify = _with_light_file(verify_settings(settings, rootdir), migration, rootdir)
    progress("recording the fixture API before the split")
    before, failures = record_tree(rootdir, verify, (), lambda step: progress(f"{step} (before)"))
    if failures:
        raise UserError(
            f"pytest does not complete on the tree as it is ({failures[0].label}, exit code "
            f"{failures[0].exit_code}); fix that first or use --no-verify. Its output ends with:\n{failures[0].tail}"
        )
    warnings = _registration_warnings(migration, before, rootdir)
    after, differences, failures = _write_and_verify(settings, migration, before, verify, rootdir, progress)
    kept: dict[str, str] = {}
    if differences and not failures and not after.api.stopped:  # a run stopped on volume is decided
        kept = names_to_keep(differences, before.api, moved_names(migration)) or {}
        retry = _replan(settings, kept, progress) if kept else None
        if retry is not None:
            progress(f"verifying again with {', '.join(kept)} kept in the root conftest")
            again = _write_and_verify(settings, retry, before, verify, rootdir, progress)
            if not again[1] and not again[2]:
                migration, (after, differences, failures) = retry, again
            else:
                kept = {}  # the first differences stay the report: they are the cause
    if differences or failures:
        return MigrateResult(Outcome.ROLLED_BACK, migration, before, after, differences, failures, warnings=warnings)
    finish_migration(settings.path, settings.backup_dir)
    return MigrateResult(Outcome.MIGRATED, migration, before, after, warnings=warnings, kept=tuple(kept.items()))


def _write_and_verify(
    settings: MigrateSettings,
    migration: Migration,
    before: Recording,
    verify: VerifySettings,
    rootdir: Path,
    progress: Progress,
) -> tuple[Recording, tuple[Difference, ...], tuple[PytestFailure, ...]]:
    """Write the split and record it; a difference or a failure puts the original back."""
    write_migration(settings.path, migration.files, settings.backup_dir, verifying=True, keep=_kept(migration))
    try:
        progress(f"split written; recording the fixture API of {len(before.api.items)} tests after the split")
        after, failures = record_tree(
            rootdir, verify, before.api.imports, lambda step: progress(f"{step} (after)"), before.api
        )
        after, differences = confirm_outcomes(rootdir, verify, before.api, after, progress)
    except BaseException:
        restore_migration(settings.path, settings.backup_dir, force=True)
        raise
    if differences or failures:
        restore_migration(settings.path, settings.backup_dir, force=True)
    return after, differences, failures


def _with_light_file(verify: VerifySettings, migration: Migration, rootdir: Path) -> VerifySettings:
    """Also collect, on its own before and after, one selected test file that needs no heavy fixture.

    The whole selection can hide what a developer asks ("how long until my one test file
    runs"): one file importing the app keeps it high while the others fall. The file is
    :func:`light_test_file`'s pick among the selected tests (the paths in the pytest
    arguments, else the default subset); none when the user named ``--subset`` paths.
    """
    if verify.subsets:
        return verify
    light = light_test_file(migration.analysis, selected_paths(verify.pytest_args, rootdir))
    return replace(verify, subsets=(light,)) if light is not None else verify


def _kept(migration: Migration) -> list[str]:
    """What the plan kept in the root on request, recorded in the manifest for later incremental migrates."""
    defined = {n for d in migration.analysis.model.definitions for n in (*d.names, *(f.name for f in d.fixtures))}
    return sorted(set(migration.plan.settings.keep) & defined)


def _replan(settings: MigrateSettings, kept: dict[str, str], progress: Progress) -> Migration | None:
    """The migration with ``kept`` in the root conftest too; None when it moves nothing."""
    progress(f"planning again with {', '.join(kept)} kept in the root conftest")
    return prepare_migration(replace(settings, keep=(*settings.keep, *kept)), progress)


def moved_names(migration: Migration) -> set[str]:
    """The names (and fixture names) of the definitions the plan moved out of the root."""
    definitions = migration.analysis.model.definitions
    return {
        name
        for p in migration.plan.placements
        if p.group is not None and not p.copied
        for name in (*definitions[p.definition].names, *(f.name for f in definitions[p.definition].fixtures))
    }


def _registration_warnings(migration: Migration, before: Recording, rootdir: Path) -> tuple[str, ...]:
    """Analyze's fixtures of the conftest against what pytest registered from it, by name."""
    path = migration.conftest.resolve().relative_to(rootdir.resolve()).as_posix()
    found = {node.name for node in migration.analysis.graph.nodes}
    registered = before.api.namespace.get(path)
    kept = kept_in_root(migration, registered.fixtures if registered else ())
    return registration_mismatches(path, found, registered, kept)


def kept_in_root(migration: Migration, names: Iterable[str]) -> frozenset[str]:
    """Those of ``names`` the root conftest still binds after the split.

    A name is kept when every statement that binds it stays in the root. A name no
    statement visibly binds comes from an unmovable one (a star import splitter cannot
    read, a ``globals()`` write), and unmovable statements stay in the root: it is kept
    when there is one and all of them stay.
    """
    definitions = migration.analysis.model.definitions
    in_root = {d.index for d in definitions if migration.plan.placement(d.index).group is None}
    binders: dict[str, set[int]] = {}
    for d in definitions:
        for name in d.names:
            binders.setdefault(name, set()).add(d.index)
    unmovable = {d.index for d in definitions if d.kind is Kind.UNMOVABLE}
    opaque_kept = bool(unmovable) and unmovable <= in_root
    return frozenset(name for name in names if (binders[name] <= in_root if name in binders else opaque_kept))


def _prepare_increment(settings: MigrateSettings, progress: Progress) -> Migration | None:
    """The root definitions added since the split, planned into the existing modules."""
    progress("analyzing the split")
    analyze = AnalyzeSettings(measure=settings.measure, interpreter=settings.python)
    keep = (*settings.keep, *recorded_keep(settings.path, settings.backup_dir))
    increment = plan_increment(settings.path, analyze, lambda path, analysis: plan_conftest(path, analysis, keep))
    if increment is None:
        return None
    return Migration(settings.path, increment.analysis, increment.plan, increment.files, incremental=True)


def recorded_keep(conftest: Path, backup_dir: Path | None) -> tuple[str, ...]:
    """What the split kept in the root on request or after re-planning (its manifest's ``keep``)."""
    if not (backup_directory(conftest, backup_dir) / FILENAME).is_file():
        return ()
    return read_manifest(conftest, backup_dir).keep


def _nothing_reason(conftest: Path) -> str:
    if is_migrated(read_source(conftest).text):
        return (
            f"{display_path(conftest)} is already split and nothing added to its root has to move "
            "(`splitter sync` after editing the split modules, `splitter restore` to undo the split)"
        )
    return f"every definition of {display_path(conftest)} has to stay in it; nothing to split"
