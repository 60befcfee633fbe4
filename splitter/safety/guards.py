"""Where the write stage may write, checked before anything is written.

splitter writes only in two places: the conftest's directory (the new modules
and the root conftest) and the backup directory (``.splitter/`` beside the
conftest, or ``--backup-dir``). A symbolic link where it would write — the
conftest itself, a module path, the backup directory or its ``backup/`` folder —
is refused rather than followed, so nothing is ever written out of the tree.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from splitter.errors import UserError
from splitter.safety.journal import FILENAME as JOURNAL
from splitter.safety.manifest import DIRECTORY, FILENAME

BACKUP_FOLDER = "backup"
JOINED_FOLDER = "joined"  # the split a `splitter join` replaced


def backup_directory(conftest: Path, backup_dir: Path | None) -> Path:
    """Where the backup and manifest of ``conftest`` live (``.splitter/`` beside it by default).

    Absolute, with the parent resolved but not the directory itself, so a link
    there is seen (and refused) rather than followed.
    """
    path = Path(os.path.abspath(backup_dir or conftest.parent / DIRECTORY))
    return path.parent.resolve() / path.name


def conftest_directory(conftest: Path) -> Path:
    """The resolved directory the conftest and its new modules live in."""
    return conftest.parent.resolve()


def check_not_linked(conftest: Path) -> None:
    """Refuse a conftest that is a symbolic link: splitter never follows one out of the tree."""
    if conftest.is_symlink():
        raise UserError(
            f"{conftest} is a symbolic link (to {os.readlink(conftest)}); splitter does not follow links — "
            "run it on the file itself, or replace the link with a copy"
        )


def check_backup_directory(directory: Path) -> None:
    """Refuse a backup directory (or its backup folder) that is a symbolic link."""
    for path in (directory, directory / BACKUP_FOLDER):
        if path.is_symlink():
            raise UserError(
                f"the backup directory {path} is a symbolic link; splitter does not write through links — "
                "remove the link or pass --backup-dir"
            )


def check_targets(conftest: Path, names: Sequence[str]) -> None:
    """Refuse to overwrite a module file (or link) that already exists: it is not ours to clobber."""
    for name in names:
        if Path(name).name != name or name in ("", ".", ".."):  # pragma: no cover - a plan bug
            raise RuntimeError(f"a generated module must sit beside the conftest, not at {name!r}")
    existing = [n for n in names if n != conftest.name and os.path.lexists(conftest.parent / n)]
    if existing:
        links = " (a symbolic link)" if any((conftest.parent / n).is_symlink() for n in existing) else ""
        raise UserError(
            f"{', '.join(existing)} already exist(s){links} next to {conftest.name}; rename or remove it, or "
            "choose other module names in the modules table of tool.splitter in pyproject.toml"
        )


def check_can_write(conftest: Path, names: Sequence[str], backup_dir: Path | None) -> None:
    """Every reason a migration could not be written, checked before anything is written."""
    check_not_linked(conftest)
    check_targets(conftest, names)
    directory = backup_directory(conftest, backup_dir)
    check_backup_directory(directory)
    if os.path.lexists(directory / JOURNAL):
        raise UserError(
            f"an interrupted splitter operation left {directory / JOURNAL}; "
            f"run `splitter restore {conftest}` to undo it first"
        )
    if os.path.lexists(directory / FILENAME):
        raise UserError(f"a migration backup already exists in {directory}; run `splitter restore {conftest}` first")
    if os.path.lexists(directory / BACKUP_FOLDER / conftest.name):
        raise UserError(f"{directory / BACKUP_FOLDER / conftest.name} already exists; remove it or pass --backup-dir")
    check_writable(conftest, directory)


def check_writable(conftest: Path, directory: Path) -> None:
    """The conftest's directory and the backup directory (or where it will be created) are writable."""
    here = conftest_directory(conftest)
    if not _writable(here):
        raise UserError(
            f"{here} is not writable; splitter writes the new modules beside the conftest — "
            "make the directory writable and run again"
        )
    existing = next(p for p in (directory, *directory.parents) if os.path.lexists(p))
    if not existing.is_dir() or not _writable(existing):
        what = "is not writable" if existing.is_dir() else "is not a directory"
        raise UserError(
            f"cannot create the backup in {directory}: {existing} {what}; pass --backup-dir with a writable directory"
        )


def check_restore_writable(here: Path, directory: Path) -> None:
    """A restore can remove files in the conftest's directory and the backup directory."""
    for place in (here, directory):
        if place.is_dir() and not _writable(place):
            raise UserError(f"{place} is not writable; make it writable and run `splitter restore` again")


def _writable(directory: Path) -> bool:
    return os.access(directory, os.W_OK | os.X_OK)
