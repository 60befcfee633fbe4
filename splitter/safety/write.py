"""Write a migration to disk — with :mod:`splitter.safety.restore`, the only stage that changes the user's tree.

A migration is a journaled sequence of steps (:mod:`splitter.safety.journal`):
1. the legacy conftest is copied byte for byte into the backup directory;
2. the manifest (every file about to be written, with its hash) is written;
3. the new modules are written, each atomically (temp file + ``os.replace``);
4. the new root conftest is written last, atomically;
5. (when verifying) the journal stays until pytest has verified the tree.
Until step 4 the legacy conftest is still in place, so pytest behaves as before.
The journal is written before each step; after any interruption
:func:`splitter.safety.restore.restore_migration` undoes whatever was done.
Everything :mod:`splitter.safety.guards` checks is checked before step 1.
"""

from __future__ import annotations

import datetime as dt
import io
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from splitter import __version__
from splitter.safety.disk import atomic_write, fsync_directory, relative, remove, sha256
from splitter.errors import UserError
from splitter.safety.guards import BACKUP_FOLDER, backup_directory, check_can_write, conftest_directory
from splitter.safety.journal import FILENAME as JOURNAL
from splitter.safety.journal import Action, Journal, Operation, Step, StepFailed, StepKind, read_journal, run_steps
from splitter.safety.manifest import FILENAME, FileAction, Manifest, ManifestFile
from splitter.safety.restore import clean, journal_from_manifest, restore_migration


@dataclass(frozen=True)
class NewFile:
    """A file of the migration, relative to the conftest's directory, formatted."""

    name: str
    text: str

    @property
    def data(self) -> bytes:
        """The bytes to write: UTF-8, unless the text declares another encoding (PEP 263)."""
        head = "".join(self.text.splitlines(keepends=True)[:2]).encode("utf-8")
        encoding, _ = tokenize.detect_encoding(io.BytesIO(head).readline)
        return self.text.encode(encoding)


def write_migration(
    conftest: Path,
    files: Sequence[NewFile],
    backup_dir: Path | None = None,
    verifying: bool = False,
    keep: Sequence[str] = (),
) -> Manifest:
    """Back up the legacy conftest, record the manifest, then write ``files`` atomically.

    With ``verifying`` the journal stays (next step: verify) until :func:`finish_migration`,
    so a migration interrupted while pytest checks it is rolled back, never kept
    unverified. A failure to write undoes what was written and is one UserError.
    """
    check_can_write(conftest, [f.name for f in files], backup_dir)
    here, directory = conftest_directory(conftest), backup_directory(conftest, backup_dir)
    legacy = conftest.read_bytes()
    manifest = _manifest(conftest, files, legacy, relative(directory / BACKUP_FOLDER / conftest.name, here), keep)
    data = {f.name: f.data for f in files}
    actions: dict[StepKind, Action] = {
        StepKind.BACKUP: lambda step: atomic_write(here / step.path, legacy),
        StepKind.MANIFEST: lambda step: atomic_write(here / step.path, manifest.to_json().encode("utf-8")),
        StepKind.WRITE: lambda step: atomic_write(here / step.path, data[step.path]),
        StepKind.REPLACE: lambda step: atomic_write(here / step.path, data[step.path]),
        StepKind.VERIFY: lambda step: None,
    }
    try:
        (directory / BACKUP_FOLDER).mkdir(parents=True, exist_ok=True)
        run_steps(_migration_journal(manifest, directory, here, verifying), directory, actions)
    except (StepFailed, OSError) as exc:
        _undo_failed_write(conftest, backup_dir, directory)
        what = f"{exc.step.describe()}: {exc.reason}" if isinstance(exc, StepFailed) else f"create {directory}: {exc}"
        raise UserError(f"cannot {what}; nothing was changed (free space or permissions, then run again)") from None
    if not verifying:
        finish_migration(conftest, backup_dir)
    return manifest


def finish_migration(conftest: Path, backup_dir: Path | None = None) -> None:
    """The migration is complete (and verified): drop the journal, keep the backup and manifest."""
    directory = backup_directory(conftest, backup_dir)
    remove(directory / JOURNAL)
    fsync_directory(directory)


def _manifest(conftest: Path, files: Sequence[NewFile], legacy: bytes, backup: str, keep: Sequence[str]) -> Manifest:
    return Manifest(
        tool_version=__version__,
        created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        conftest=conftest.name,
        backup=backup,
        legacy_sha256=sha256(legacy),
        files=tuple(
            ManifestFile(
                path=f.name,
                sha256=sha256(f.data),
                action=FileAction.REPLACED if f.name == conftest.name else FileAction.CREATED,
                backup=backup if f.name == conftest.name else None,
            )
            for f in files
        ),
        keep=tuple(sorted(keep)),
    )


def _migration_journal(manifest: Manifest, directory: Path, here: Path, verifying: bool) -> Journal:
    journal = journal_from_manifest(manifest)
    steps = (
        Step(StepKind.BACKUP, manifest.backup),
        Step(StepKind.MANIFEST, relative(directory / FILENAME, here)),
        *(Step(StepKind.WRITE, path) for path, _ in journal.created),
        Step(StepKind.REPLACE, manifest.conftest),
        *((Step(StepKind.VERIFY, manifest.conftest),) if verifying else ()),
    )
    return replace(journal, operation=Operation.MIGRATE, tool_version=__version__, steps=steps)


def _undo_failed_write(conftest: Path, backup_dir: Path | None, directory: Path) -> None:
    """Undo a migration whose writing failed; a failure of the undo itself is one UserError."""
    try:
        if read_journal(directory) is not None:
            restore_migration(conftest, backup_dir, force=True)
        else:  # failed before the first journal: only folders and temp files to remove
            clean(conftest_directory(conftest), directory, conftest.name, (), None)
    except (UserError, OSError) as exc:
        reason = exc.message if isinstance(exc, UserError) else str(exc)
        raise UserError(
            f"writing the migration failed and undoing it failed too ({reason}); "
            f"run `splitter restore {conftest}` to finish undoing it"
        ) from None
