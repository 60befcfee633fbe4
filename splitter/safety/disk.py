"""The file operations the write stage is made of: hashes, atomic writes, removals.

Nothing here follows a symbolic link to write: :func:`atomic_write` replaces a
link at its path instead of writing through it, and removals remove the link.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from splitter.errors import UserError

TEMP_SUFFIX = ".splitter-tmp"


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes; an unreadable file is a UserError."""
    try:
        return sha256(path.read_bytes())
    except OSError as exc:
        raise UserError(f"cannot read {path} ({exc.strerror}); make it readable and run again") from None


def is_regular(path: Path) -> bool:
    """A regular file that is not a symbolic link."""
    return path.is_file() and not path.is_symlink()


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never a mix.

    A symbolic link at ``path`` is replaced, never followed. A new file gets the
    permissions the umask gives; a replaced one keeps its own.
    """
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o7777 if is_regular(path) else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def remove(path: Path) -> None:
    """Remove a file (or the link at ``path``) if it is there."""
    path.unlink(missing_ok=True)


def remove_leftovers(directory: Path, name: str) -> None:
    """Remove the temp files an interrupted :func:`atomic_write` of ``name`` left in ``directory``."""
    for leftover in directory.glob(f".{name}.*{TEMP_SUFFIX}"):
        remove(leftover)


def fsync_directory(directory: Path) -> None:
    """Make the directory's entries (created, replaced, removed files) durable."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory descriptors, or it is gone
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def relative(path: Path, start: Path) -> str:
    """``path`` relative to ``start``, as a POSIX path (``..`` allowed)."""
    return Path(os.path.relpath(path, start)).as_posix()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
