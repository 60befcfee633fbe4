"""Reading the user's input: the conftest file and where its project starts.

The only module of the parse stage that touches the disk. Every way the input
can be wrong is one :class:`~splitter.errors.UserError` sentence.
"""

from __future__ import annotations

import fnmatch
import io
import os
import tokenize
from collections.abc import Sequence
from importlib.machinery import BYTECODE_SUFFIXES, EXTENSION_SUFFIXES, SOURCE_SUFFIXES
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


def display_path(path: Path) -> str:
    """``path`` as the user would type it: relative to the current directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


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


def module_names(conftest: Path) -> tuple[str, ...]:
    """Every dotted name tests can import the conftest under.

    From the rootdir (``tests.conftest``), from its package as pytest imports it
    (``pkg.conftest`` when the rootdir is the package itself, or under ``src/``),
    and bare (``conftest``, with its directory on ``sys.path``).
    """
    rootdir = find_rootdir(conftest).resolve()
    stem = conftest.stem
    from_rootdir = ".".join(conftest.resolve().relative_to(rootdir).with_suffix("").parts)
    package = package_of(conftest)
    from_package = f"{package}.{stem}" if package else stem
    return tuple(dict.fromkeys((from_rootdir, from_package, stem)))


def find_module_file(name: str, roots: Sequence[Path]) -> tuple[Path, bool] | None:
    """The source file of module ``name`` under ``roots`` and whether it is a package, importing nothing.

    Each dotted part is looked up in the folders found for the part before it, as
    the import system's path finder walks them: in each folder, a package
    (``part/__init__.py``) or a module (``part.py``, or an extension module, which
    wins over it) is the answer, and a folder without ``__init__.py`` is one portion
    of a namespace package, searched for the next part. Only the disk is read —
    never ``sys.modules`` nor an import (``importlib``'s finders read the parent
    package from ``sys.modules``, which in splitter's own process is not the
    project's). A module outside ``roots`` (the standard library, installed
    packages), a namespace package or an extension module is not found.
    """
    search = [Path(root) for root in roots]
    found: tuple[Path, bool] | None = None
    for part in name.split("."):
        if not search:
            return None
        found, search = _find_part(part, search)
    if found is None or found[0].suffix != ".py":
        return None
    return found


_INIT_SUFFIXES = (*EXTENSION_SUFFIXES, *SOURCE_SUFFIXES, *BYTECODE_SUFFIXES)
_MODULE_SUFFIXES = (*EXTENSION_SUFFIXES, *SOURCE_SUFFIXES)


def _find_part(part: str, search: Sequence[Path]) -> tuple[tuple[Path, bool] | None, list[Path]]:
    """(the file of module ``part`` in the first folder of ``search`` that holds one, and
    whether it is a package; the folders to search for its submodules).

    A folder without a module file adds itself to a namespace package's portions;
    those are searched only when no folder holds a module or regular package.
    """
    portions: list[Path] = []
    for directory in search:
        entries = _entries(directory)
        if part in entries and (directory / part).is_dir():
            package = directory / part
            inits = _entries(package)
            init = next((f"__init__{s}" for s in _INIT_SUFFIXES if f"__init__{s}" in inits), None)
            if init is not None:
                return (package / init, True), [package]
            portions.append(package)
        module = next((f"{part}{s}" for s in _MODULE_SUFFIXES if f"{part}{s}" in entries), None)
        if module is not None and (directory / module).is_file():
            return (directory / module, False), []
    return None, portions


def _entries(directory: Path) -> frozenset[str]:
    """The names in a folder, spelled as on disk (a case-insensitive disk does not make
    ``Tests`` the folder ``tests``, as it does not for the import system); none if unreadable."""
    try:
        return frozenset(os.listdir(directory))
    except OSError:
        return frozenset()


def pytest_args_from_rootdir(args: Sequence[str], rootdir: Path, cwd: Path) -> tuple[str, ...]:
    """The user's pytest arguments as they read from the rootdir, where splitter runs pytest.

    A user gives paths from where they stand (``tests/unit`` from the project, ``unit``
    from ``tests/``); an argument that names an existing path from ``cwd`` but not from
    the rootdir is rewritten relative to the rootdir (a ``::`` node id keeps its tail).
    Anything else — options, ``-k`` expressions — is passed on as it is.
    """
    rewritten = []
    for arg in args:
        head, sep, tail = arg.partition("::")
        if arg.startswith("-") or not head or Path(head).is_absolute() or (rootdir / head).exists():
            rewritten.append(arg)
            continue
        here = (cwd / head).resolve()
        try:
            inside = here.relative_to(rootdir.resolve()).as_posix() if here.exists() else None
        except ValueError:
            inside = None
        rewritten.append(arg if inside is None else f"{inside}{sep}{tail}")
    return tuple(rewritten)
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
