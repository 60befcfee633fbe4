"""Checks before a migration: the input file, the state of the tree, the interpreter (I/O).

Each problem is one :class:`~splitter.errors.UserError` sentence naming it and the
fix, raised before anything is analyzed, run or written.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from splitter.errors import UserError
from splitter.safety.guards import JOINED_FOLDER, backup_directory, check_not_linked
from splitter.safety.journal import FILENAME as JOURNAL
from splitter.safety.journal import read_journal
from splitter.safety.manifest import FILENAME, Manifest

CONFTEST = "conftest.py"
INTERPRETER_TIMEOUT = 60


def check_input_path(conftest: Path) -> None:
    """The path is a regular ``conftest.py`` (not a link); the rest is :func:`splitter.files.read_source`'s."""
    check_not_linked(conftest)
    if conftest.is_file() and conftest.suffix == ".py" and conftest.name != CONFTEST:
        raise UserError(
            f"{conftest} is not named {CONFTEST}; splitter splits pytest conftest files — "
            f"give the path of a {CONFTEST}"
        )


def check_not_interrupted(conftest: Path, backup_dir: Path | None = None) -> None:
    """No migrate or restore of ``conftest`` was interrupted: the tree is not half written."""
    directory = backup_directory(conftest, backup_dir)
    if os.path.lexists(directory / JOURNAL):
        journal = read_journal(directory)
        operation = journal.operation.value if journal else "splitter operation"
        raise UserError(
            f"a {operation} of {conftest} was interrupted ({directory / JOURNAL}); run `splitter restore "
            f"{conftest}` to undo it, or `splitter migrate` (without --dry-run/--check), which undoes it first"
        )


def check_tree_state(conftest: Path, backup_dir: Path | None, migrated: bool) -> None:
    """No interrupted operation, and no backup of an earlier migration the conftest no longer matches."""
    check_not_interrupted(conftest, backup_dir)
    directory = backup_directory(conftest, backup_dir)
    manifest = directory / FILENAME
    if migrated or not os.path.lexists(manifest) or os.path.lexists(directory / JOINED_FOLDER):
        return  # split, never split, or joined by `splitter join`: migrating starts afresh
    try:
        earlier = Manifest.from_json(manifest.read_text(encoding="utf-8"), str(manifest))
        written = f" (by splitter {earlier.tool_version}, {earlier.created_at})"
    except (UserError, OSError, UnicodeDecodeError):
        written = ""
    raise UserError(
        f"{directory} holds the backup of an earlier migration{written}, but {conftest} is not split; "
        f"run `splitter restore {conftest}` to finish undoing that migration, then migrate again"
    )


def check_interpreter(python: str, otherwise: str = "") -> None:
    """The interpreter that will run pytest exists and can import pytest.

    It is asked the way verification starts pytest: the directory splitter runs in
    is not on its ``sys.path`` (``python -c`` would put it first, where a package's
    own ``typing.py`` hides the standard library's), so it starts in an empty
    temporary directory. ``otherwise``: the way around it to suggest too (migrate:
    ``use --no-verify``).
    """
    if python == sys.executable and importlib.util.find_spec("pytest") is not None:
        return  # splitter's own interpreter (the default): no interpreter to start to know that
    alternative = f", or {otherwise}" if otherwise else ""
    try:
        with tempfile.TemporaryDirectory(prefix="splitter-python-") as neutral:
            completed = subprocess.run(
                [python, "-c", "import pytest"],
                capture_output=True,
                text=True,
                timeout=INTERPRETER_TIMEOUT,
                stdin=subprocess.DEVNULL,
                cwd=neutral,
            )
    except (OSError, subprocess.TimeoutExpired) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(
            f"cannot run the interpreter {python} ({reason}); pass --python with the project's Python, "
            "e.g. .venv/bin/python"
        ) from None
    if completed.returncode != 0:
        raise UserError(
            f"{python} cannot import pytest, so pytest cannot run there; install pytest in that "
            f"environment or pass --python with the project's interpreter{alternative}"
        )


def newline_of(source: str) -> str:
    """The newline the user's file uses (that of its first line), for the files generated from it."""
    first = source.find("\n")
    return "\r\n" if first > 0 and source[first - 1] == "\r" else "\n"


def with_newline(text: str, newline: str) -> str:
    """``text`` with every line ending in ``newline``."""
    unified = text.replace("\r\n", "\n")
    return unified if newline == "\n" else unified.replace("\n", newline)
