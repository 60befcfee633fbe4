"""Re-create the legacy (pre-migration) tree from the migrate backup, in a temporary copy (I/O).

The copy is the project rootdir without VCS, virtualenv and cache folders; the
files the migration created are deleted and the backed-up conftest (and any
other replaced file) is put back, so pytest sees the tree as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from splitter.errors import UserError
from splitter.safety.manifest import FileAction, Manifest, sha256_of

IGNORED = (
    ".git",
    ".hg",
    ".venv",
    "venv",
    "__pycache__",
    ".pytest_cache",
    ".splitter",
    ".tox",
    ".nox",
    ".mypy_cache",
)


@contextmanager
def legacy_tree(
    rootdir: Path, conftest_dir: Path, manifest: Manifest
) -> Iterator[Path]:
    """A temporary copy of the rootdir as it was before the migration; removed afterwards."""
    relative = _inside(conftest_dir, rootdir)
    with tempfile.TemporaryDirectory(prefix="splitter-legacy-") as temporary:
        copy = Path(temporary) / rootdir.name
        shutil.copytree(rootdir, copy, ignore=_ignore, symlinks=True)
        restore_legacy_files(conftest_dir, copy / relative, manifest)
        yield copy


def restore_legacy_files(
    source_dir: Path, target_dir: Path, manifest: Manifest
) -> None:
    """In target_dir, undo what the manifest says the migration did, from source_dir's backup."""
    backup = source_dir / manifest.backup
    if not backup.is_file():
        raise UserError(f"the legacy conftest backup {backup} is missing")
    if sha256_of(backup) != manifest.legacy_sha256:
        raise UserError(
            f"the legacy conftest backup {backup} was modified since the migration"
        )
    for entry in manifest.files:
        if entry.action is FileAction.CREATED:
            (target_dir / entry.path).unlink(missing_ok=True)
        elif entry.backup is not None:
            shutil.copyfile(source_dir / entry.backup, target_dir / entry.path)
    shutil.copyfile(backup, target_dir / manifest.conftest)


def _inside(conftest_dir: Path, rootdir: Path) -> Path:
    try:
        return conftest_dir.resolve().relative_to(rootdir.resolve())
    except ValueError:
        raise UserError(
            f"{conftest_dir} is not inside the pytest rootdir {rootdir}"
        ) from None


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {
        n for n in names if n in IGNORED or (Path(directory, n, "pyvenv.cfg")).exists()
    }
