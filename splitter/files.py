"""Reading the user's input: the conftest file and where its project starts.

The only module of the parse stage that touches the disk. Every way the input
can be wrong is one :class:`~splitter.errors.UserError` sentence.
"""

from __future__ import annotations

import fnmatch
import io
import os
import tokenize
from dataclasses import dataclass
from pathlib import Path

from splitter.errors import UserError

ROOTDIR_MARKERS = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg", "setup.py")
TEST_FILES = ("test_*.py", "*_test.py", "conftest.py")  # pytest's default python_files, and conftests
# pytest's default norecursedirs, and __pycache__
SKIPPED_DIRS = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}", "__pycache__")


@dataclass(frozen=True)
class SourceFile:
    """A conftest read from disk: its decoded text and where it lives."""

    path: Path  # as the user gave it
    text: str
    encoding: str


def read_source(path: Path) -> SourceFile:
    """Read a Python file, honouring its encoding declaration or BOM (PEP 263)."""
    if not path.exists():
        raise UserError(f"{path}: no such file; give the path of an existing conftest.py")
    if path.is_dir():
        raise UserError(f"{path} is a directory; give the conftest.py file inside it")
    if path.suffix != ".py":
        raise UserError(
            f"{path} is not a Python file (expected a .py file such as conftest.py)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror}); make it readable and run again") from exc
    text, encoding = decode(path, raw)
    return SourceFile(path=path, text=text, encoding=encoding)


def detect_encoding(path: Path, raw: bytes) -> str:
    """The encoding Python itself would use for these bytes."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        if exc.msg.startswith("invalid or missing encoding declaration"):
            raise UserError(
                f"{path} is not valid UTF-8 and declares no other encoding; "
                "save it as UTF-8 or declare its encoding (PEP 263)"
            ) from exc
        raise UserError(
            f"{path}: {exc.msg}; declare an encoding Python knows (PEP 263) or remove the declaration"
        ) from exc
    return encoding


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """Decode source bytes to (text, encoding); binary or undecodable files are user errors."""
    if b"\x00" in raw:
        raise UserError(f"{path} is a binary file, not Python source; give the path of a conftest.py")
    encoding = detect_encoding(path, raw)
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UserError(
            f"{path} cannot be decoded as {encoding} ({exc}); save it as UTF-8 or declare its real encoding (PEP 263)"
        ) from exc
    return text.removeprefix("\ufeff"), encoding


def find_rootdir(path: Path) -> Path:
    """The directory pytest treats as rootdir for ``path`` (a conftest or a folder):
    the nearest ancestor holding a pytest or packaging config file."""
    start = path.resolve()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).is_file() for marker in ROOTDIR_MARKERS):
            return candidate
    return directory


def package_of(conftest: Path) -> str | None:
    """The dotted package the conftest belongs to (``tests``), or None outside packages."""
    parts: list[str] = []
    directory = conftest.resolve().parent
    while (directory / "__init__.py").is_file():
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts) or None


def import_roots(conftest: Path) -> tuple[Path, ...]:
    """Directories the conftest's own imports resolve from: rootdir and pytest's basedir."""
    rootdir = find_rootdir(conftest)
    basedir = conftest.resolve().parent
    while (basedir / "__init__.py").is_file():
        basedir = basedir.parent
    return tuple(dict.fromkeys((rootdir, basedir)))


def default_subset(conftest: Path) -> Path:
    """The tests a split is judged on, as migrate measures them: the ``unit`` folder
    beside the conftest, else the conftest's own folder."""
    unit = conftest.parent / "unit"
    return unit if unit.is_dir() else conftest.parent


def test_files(directory: Path) -> list[Path]:
    """Test modules and conftests under ``directory`` by pytest's default names, sorted;
    folders pytest does not recurse into by default (and virtualenvs) are skipped."""
    found: list[Path] = []
    for current, folders, files in os.walk(directory):
        folders[:] = sorted(
            f
            for f in folders
            if not any(fnmatch.fnmatch(f, pattern) for pattern in SKIPPED_DIRS)
            and not (Path(current) / f / "pyvenv.cfg").is_file()
        )
        found.extend(
            Path(current) / f for f in files if any(fnmatch.fnmatch(f, p) for p in TEST_FILES)
        )
    return sorted(found)
