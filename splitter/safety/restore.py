"""``splitter restore``: the legacy conftest back byte for byte, the generated files gone.

The same procedure completes any interrupted operation (:mod:`splitter.safety.journal`):
an interrupted migrate is undone, an interrupted restore is finished. Every step
checks the disk before acting, so running it again after any crash is safe:
1. put the legacy conftest back (unless it already is), from the verified backup;
2. remove each module the migration created;
3. remove the backup directory's files (the journal last) and the emptied folders.
Nothing is removed that the migration did not write: a generated file edited
since is refused (exit 1) unless ``force``, and every path is validated first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from splitter import __version__
from splitter.safety.disk import atomic_write, file_sha256, fsync_directory, is_regular, relative, remove, remove_leftovers
from splitter.safety.disk import sha256
from splitter.errors import ExitCode, UserError
from splitter.safety.guards import BACKUP_FOLDER, backup_directory, check_backup_directory, check_restore_writable
from splitter.safety.guards import conftest_directory
from splitter.safety.journal import FILENAME as JOURNAL
from splitter.safety.journal import Action, Journal, Operation, Step, StepFailed, StepKind, read_journal, run_steps
from splitter.safety.manifest import FILENAME, FileAction, Manifest


@dataclass(frozen=True)
class Restored:
    """What a restore did: the files it removed, and the interrupted operation it completed."""

    conftest: str
    removed: tuple[str, ...]
    recovered: Operation | None = None


def read_manifest(conftest: Path, backup_dir: Path | None = None) -> Manifest:
    """The manifest of the migration of ``conftest``, or a clear error when there is none."""
    directory = backup_directory(conftest, backup_dir)
    path = directory / FILENAME
    if not path.is_file():
        hint = "" if backup_dir else " (pass --backup-dir if the migration used one)"
        raise UserError(f"{conftest} has no migration backup ({path} not found); nothing to restore{hint}")
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"), str(path))
    except (UserError, UnicodeDecodeError, OSError) as exc:
        problem = exc.message if isinstance(exc, UserError) else f"{path} cannot be read ({exc})"
        raise UserError(
            f"{problem}; restore the conftest from version control, or copy "
            f"{directory / BACKUP_FOLDER / conftest.name} back by hand"
        ) from None


def restore_migration(conftest: Path, backup_dir: Path | None = None, force: bool = False) -> Restored:
    """Put the legacy conftest back byte for byte and remove the files the migration created.

    Also completes an interrupted migrate (by undoing it) or restore (by finishing
    it) when the backup directory holds a journal. Refuses (exit 1) to discard a
    file edited since the migration, unless ``force``.
    """
    here, directory = conftest_directory(conftest), backup_directory(conftest, backup_dir)
    check_backup_directory(directory)
    interrupted = read_journal(directory)
    journal = interrupted or journal_from_manifest(read_manifest(conftest, backup_dir))
    _check_journal(conftest, journal, directory)
    edited = _edited(here, journal)
    if edited and not force:
        raise UserError(
            f"{', '.join(edited)} changed since the migration; restore would discard those edits "
            "(use --force to restore anyway)",
            ExitCode.FAILED,
        )
    legacy = _legacy_bytes(here, journal)
    check_restore_writable(here, directory)
    created = tuple(path for path, _ in journal.created)
    removed = tuple(name for name in created if os.path.lexists(here / name))
    actions: dict[StepKind, Action] = {
        StepKind.RESTORE: lambda step: _put_back(here / step.path, legacy, journal.legacy_sha256),
        StepKind.REMOVE: lambda step: remove(here / step.path),
        StepKind.CLEAN: lambda step: clean(here, directory, journal.conftest, created, journal.backup),
    }
    try:
        run_steps(_restore_steps(journal, directory, here), directory, actions)
    except StepFailed as failure:
        raise UserError(
            f"cannot {failure.step.describe()}: {failure.reason}; fix that and run `splitter restore {conftest}` "
            "again to finish (the journal in the backup directory keeps track)"
        ) from None
    fsync_directory(here)
    return Restored(journal.conftest, removed, interrupted.operation if interrupted else None)


def journal_from_manifest(manifest: Manifest) -> Journal:
    """A journal (without steps) holding what the manifest says the migration did."""
    replaced = [f for f in manifest.files if f.action is FileAction.REPLACED]
    if [f.path for f in replaced] != [manifest.conftest]:
        raise UserError(
            f"the manifest lists replaced files {', '.join(f.path for f in replaced) or '(none)'}; this splitter "
            f"only restores a replaced {manifest.conftest} — restore with the splitter that migrated"
        )
    return Journal(
        operation=Operation.RESTORE,
        tool_version=manifest.tool_version,
        conftest=manifest.conftest,
        legacy_sha256=manifest.legacy_sha256,
        conftest_sha256=replaced[0].sha256,
        backup=manifest.backup,
        created=tuple((f.path, f.sha256) for f in manifest.files if f.action is FileAction.CREATED),
        steps=(),
    )


def clean(here: Path, directory: Path, conftest: str, created: tuple[str, ...], backup: str | None) -> None:
    """Remove the backup directory's files (the journal last), temp leftovers, and the emptied folders."""
    if backup is not None:
        remove(here / backup)
    remove(directory / FILENAME)
    for name in (conftest, *created):
        remove_leftovers(here, name)
    remove_leftovers(directory / BACKUP_FOLDER, conftest)
    for name in (FILENAME, JOURNAL):
        remove_leftovers(directory, name)
    remove(directory / JOURNAL)
    for folder in (directory / BACKUP_FOLDER, directory):
        try:
            folder.rmdir()
        except FileNotFoundError:
            continue
        except OSError:  # it holds files that are not ours
            break
    fsync_directory(directory.parent)


def _restore_steps(journal: Journal, directory: Path, here: Path) -> Journal:
    steps = (
        Step(StepKind.RESTORE, journal.conftest),
        *(Step(StepKind.REMOVE, path) for path, _ in journal.created),
        Step(StepKind.CLEAN, relative(directory, here)),
    )
    return replace(journal, operation=Operation.RESTORE, tool_version=__version__, steps=steps, next_step=0)


def _check_journal(conftest: Path, journal: Journal, directory: Path) -> None:
    """The backup belongs to this conftest and names nothing outside the tree and the backup directory."""
    if journal.conftest != conftest.name:
        raise UserError(
            f"the backup in {directory} belongs to {journal.conftest}, not {conftest.name}; pass that file instead"
        )
    for name, _ in journal.created:
        if Path(name).name != name or name in ("", ".", "..", conftest.name):
            raise UserError(
                f"the backup in {directory} names {name!r} as a generated module beside {conftest.name}; "
                "it was edited — restore the conftest from version control"
            )
    backup = Path(os.path.normpath(conftest_directory(conftest) / journal.backup))
    if backup.parent != directory / BACKUP_FOLDER:
        raise UserError(
            f"the backup in {directory} puts the legacy copy at {journal.backup}, outside {directory}; "
            "it was edited — restore the conftest from version control"
        )


def _edited(here: Path, journal: Journal) -> tuple[str, ...]:
    """Files the migration wrote that hold something else now (a missing file is not an edit)."""
    expected = {journal.conftest: {journal.legacy_sha256, journal.conftest_sha256}}
    expected.update((path, {digest}) for path, digest in journal.created)
    edited = []
    for name, digests in expected.items():
        path = here / name
        if os.path.lexists(path) and (not is_regular(path) or file_sha256(path) not in digests):
            edited.append(name)
    return tuple(edited)


def _legacy_bytes(here: Path, journal: Journal) -> bytes | None:
    """The legacy conftest from the backup; None when the conftest in place already is it."""
    conftest = here / journal.conftest
    if is_regular(conftest) and file_sha256(conftest) == journal.legacy_sha256:
        return None
    backup = here / journal.backup
    data = backup.read_bytes() if is_regular(backup) else None
    if data is None or sha256(data) != journal.legacy_sha256:
        state = "is missing" if data is None else "was changed since the migration (its SHA-256 differs)"
        raise UserError(
            f"the backup {backup} {state}, so splitter cannot prove it is your original; "
            "restore the conftest from version control instead"
        )
    return data


def _put_back(conftest: Path, legacy: bytes | None, digest: str) -> None:
    if legacy is not None and not (is_regular(conftest) and file_sha256(conftest) == digest):
        atomic_write(conftest, legacy)
