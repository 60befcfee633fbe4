"""Write a migration to disk and undo it — the only stage that changes the user's tree.

Order of a migration, chosen so that a crash at any point loses nothing:
1. the legacy conftest is copied byte for byte into the backup directory;
2. the manifest (every file about to be written, with its hash) is written;
3. the new modules are written, each atomically (temp file + ``os.replace``);
4. the new root conftest is written last, atomically.
Until step 4 the legacy conftest is still in place, so pytest behaves as before;
after any crash ``restore`` finds everything it needs in the backup directory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from splitter import __version__
from splitter.errors import ExitCode, UserError
from splitter.manifest import DIRECTORY, FILENAME, FileAction, Manifest, ManifestFile


@dataclass(frozen=True)
class NewFile:
    """A file of the migration, relative to the conftest's directory, formatted."""

    name: str
    text: str

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never a mix."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".splitter-tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory descriptors
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backup_directory(conftest: Path, backup_dir: Path | None) -> Path:
    """Where the backup and manifest of ``conftest`` live (``.splitter/`` beside it by default)."""
    return (backup_dir or conftest.parent / DIRECTORY).resolve()


def check_targets(conftest: Path, files: Sequence[NewFile]) -> None:
    """Refuse to overwrite a module file that already exists (it is not ours to clobber)."""
    existing = [f.name for f in files if f.name != conftest.name and (conftest.parent / f.name).exists()]
    if existing:
        raise UserError(
            f"{', '.join(existing)} already exist(s) next to {conftest.name}; rename them or choose other "
            "module names in [tool.splitter.modules]"
        )


def write_migration(conftest: Path, files: Sequence[NewFile], backup_dir: Path | None = None) -> Manifest:
    """Back up the legacy conftest, record the manifest, then write ``files`` atomically."""
    check_targets(conftest, files)
    directory = backup_directory(conftest, backup_dir)
    if (directory / FILENAME).exists():
        raise UserError(f"a migration backup already exists in {directory}; run `splitter restore` first")
    legacy = conftest.read_bytes()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        backup = directory / "backup" / conftest.name
        backup.parent.mkdir(exist_ok=True)
        atomic_write(backup, legacy)
    except OSError as exc:
        raise UserError(f"cannot write the backup in {directory}: {exc.strerror}; choose --backup-dir") from None
    manifest = Manifest(
        tool_version=__version__,
        created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        conftest=conftest.name,
        backup=_relative(backup, conftest.parent),
        legacy_sha256=sha256(legacy),
        files=tuple(
            ManifestFile(
                path=f.name,
                sha256=sha256(f.data),
                action=FileAction.REPLACED if f.name == conftest.name else FileAction.CREATED,
                backup=_relative(backup, conftest.parent) if f.name == conftest.name else None,
            )
            for f in files
        ),
    )
    atomic_write(directory / FILENAME, manifest.to_json().encode("utf-8"))
    for new in sorted(files, key=lambda f: f.name == conftest.name):  # the root conftest last
        atomic_write(conftest.parent / new.name, new.data)
    return manifest


def read_manifest(conftest: Path, backup_dir: Path | None = None) -> Manifest:
    """The manifest of the migration of ``conftest``, or a clear error when there is none."""
    path = backup_directory(conftest, backup_dir) / FILENAME
    if not path.is_file():
        raise UserError(f"{conftest} has no migration backup ({path} not found); nothing to restore")
    return Manifest.from_json(path.read_text(encoding="utf-8"), str(path))


def edited_files(conftest: Path, manifest: Manifest) -> tuple[str, ...]:
    """Files the migration wrote that were changed since (a crash's leftovers are not edits)."""
    edited = []
    for entry in manifest.files:
        path = conftest.parent / entry.path
        if not path.exists():
            continue
        digest = sha256(path.read_bytes())
        legacy = entry.action is FileAction.REPLACED and digest == manifest.legacy_sha256
        if digest != entry.sha256 and not legacy:
            edited.append(entry.path)
    return tuple(edited)


def restore_migration(conftest: Path, backup_dir: Path | None = None, force: bool = False) -> Manifest:
    """Put the legacy conftest back byte for byte and remove the files the migration created."""
    manifest = read_manifest(conftest, backup_dir)
    directory = backup_directory(conftest, backup_dir)
    backup = (conftest.parent / manifest.backup).resolve()
    if not backup.is_file() or sha256(backup.read_bytes()) != manifest.legacy_sha256:
        raise UserError(f"the backup {backup} is missing or was changed; the legacy conftest cannot be restored")
    edited = edited_files(conftest, manifest)
    if edited and not force:
        raise UserError(
            f"{', '.join(edited)} changed since the migration; restore would discard those edits "
            "(use --force to restore anyway)",
            ExitCode.FAILED,
        )
    atomic_write(conftest, backup.read_bytes())
    for entry in manifest.files:
        if entry.action is FileAction.CREATED:
            (conftest.parent / entry.path).unlink(missing_ok=True)
    shutil.rmtree(directory)
    return manifest


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start.resolve())).as_posix()
