"""Bad input, bad trees and tampered backups, through the real CLI.

Every case: one line on stderr naming the problem and the fix, no traceback, the
documented exit code (2 bad input, 1 a refusal to discard edits), and the tree —
``.splitter/`` and everything outside the project included — exactly as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from splitter.safety.journal import Journal, Operation, Step, StepKind
from tests.safety.conftest import Toy, run_splitter, tree_state, unprivileged

MIGRATE = ("migrate", "tests/conftest.py", "--yes", "--no-measure")
RESTORE = ("restore", "tests/conftest.py")
VERIFY = ("verify", "tests/conftest.py", "--save", "snapshot.json")
PROFILE = ("profile", "tests/conftest.py")
MANIFEST, JOURNAL, BACKUP = ".splitter/manifest.json", ".splitter/journal.json", ".splitter/backup/conftest.py"


@dataclass(frozen=True)
class Run:
    """The command a case runs, from the project root."""

    args: tuple[str, ...]
    prefix: tuple[str, ...] = ()


Setup = Callable[[Toy, Path], Run]


def migrate_with(*options: str) -> Callable[[Toy, Path], Run]:
    return lambda toy, outside: Run((*MIGRATE, *options))


def conftest_bytes(data: bytes) -> Setup:
    def setup(toy: Toy, outside: Path) -> Run:
        toy.conftest.write_bytes(data)
        return Run(MIGRATE)

    return setup


def not_named_conftest(toy: Toy, outside: Path) -> Run:
    (toy.tests / "fixtures.py").write_bytes(toy.conftest.read_bytes())
    return Run(("migrate", "tests/fixtures.py", "--yes", "--no-measure"))


def text_file(toy: Toy, outside: Path) -> Run:
    (toy.tests / "notes.txt").write_text("not python\n")
    return Run(("migrate", "tests/notes.txt", "--yes"))


def read_only_tests(toy: Toy, outside: Path) -> Run:
    prefix = unprivileged()
    toy.tests.chmod(0o555)
    return Run(MIGRATE, prefix)


def read_only_backup_dir(toy: Toy, outside: Path) -> Run:
    prefix = unprivileged()
    outside.chmod(0o555)
    return Run((*MIGRATE, "--backup-dir", str(outside / "backup")), prefix)


def backup_dir_links_outside(toy: Toy, outside: Path) -> Run:
    toy.backup.symlink_to(outside, target_is_directory=True)
    return Run(MIGRATE)


def module_exists(toy: Toy, outside: Path) -> Run:
    (toy.tests / "conftest_base.py").write_text("MINE = 1\n")
    return Run(MIGRATE)


def module_links_outside(toy: Toy, outside: Path) -> Run:
    (outside / "elsewhere.py").write_text("THEIRS = 1\n")
    (toy.tests / "conftest_base.py").symlink_to(outside / "elsewhere.py")
    return Run(MIGRATE)


def module_dangling_link(toy: Toy, outside: Path) -> Run:
    (toy.tests / "conftest_mocks.py").symlink_to(outside / "does-not-exist.py")
    return Run(MIGRATE)


def conftest_links_outside(toy: Toy, outside: Path) -> Run:
    (outside / "conftest.py").write_bytes(toy.conftest.read_bytes())
    toy.conftest.unlink()
    toy.conftest.symlink_to(outside / "conftest.py")
    return Run(MIGRATE)


def conftest_links_inside(toy: Toy, outside: Path) -> Run:
    toy.conftest.rename(toy.tests / "real_conftest.py")
    toy.conftest.symlink_to("real_conftest.py")
    return Run(MIGRATE)


def backup_of_unsplit_tree(toy: Toy, outside: Path) -> Run:
    legacy = toy.conftest.read_bytes()
    toy.migrate()
    toy.conftest.write_bytes(legacy)  # put back by hand, generated files and backup left
    return Run(MIGRATE)


def interrupted_then(*args: str) -> Setup:
    """A migrate interrupted after its backup (the journal is left), then ``args``."""

    def setup(toy: Toy, outside: Path) -> Run:
        toy.backup.mkdir()
        journal = Journal(
            Operation.MIGRATE, "0.1.0", "conftest.py", "0" * 64, "1" * 64, ".splitter/backup/conftest.py", (),
            (Step(StepKind.BACKUP, ".splitter/backup/conftest.py"),),
        )  # fmt: skip
        (toy.backup / "journal.json").write_text(journal.to_json())
        return Run(args)

    return setup


def migrated(change: Callable[[Toy, Path], None], *options: str) -> Setup:
    """Migrate (no verification), then change the result, then restore."""

    def setup(toy: Toy, outside: Path) -> Run:
        toy.migrate()
        change(toy, outside)
        return Run((*RESTORE, *options))

    return setup


def edit_manifest(**changes: object) -> Callable[[Toy, Path], None]:
    def change(toy: Toy, outside: Path) -> None:
        path = toy.backup / "manifest.json"
        data = json.loads(path.read_text())
        for key, value in changes.items():
            if key == "created_path":
                data["files"][-1]["path"] = value
            elif key == "conftest":  # a backup copied over from another conftest
                data["conftest"] = data["files"][0]["path"] = value
            else:
                data[key] = value
        path.write_text(json.dumps(data))

    return change


def write(relative: str, text: str) -> Callable[[Toy, Path], None]:
    def change(toy: Toy, outside: Path) -> None:
        (toy.tests / relative).write_text(text)

    return change


def append(relative: str, text: str) -> Callable[[Toy, Path], None]:
    def change(toy: Toy, outside: Path) -> None:
        path = toy.tests / relative
        path.write_text(path.read_text() + text)

    return change


def outside_victim(toy: Toy, outside: Path) -> None:
    (outside / "victim.py").write_text("KEEP = 1\n")
    edit_manifest(created_path="../../outside/victim.py")(toy, outside)


def backup_copy_outside(toy: Toy, outside: Path) -> None:
    (outside / "conftest.py").write_bytes((toy.backup / "backup" / "conftest.py").read_bytes())
    edit_manifest(backup="../../outside/conftest.py")(toy, outside)


def backup_dir_moved_outside(toy: Toy, outside: Path) -> None:
    target = outside / "moved"
    toy.backup.rename(target)
    toy.backup.symlink_to(target, target_is_directory=True)


def restore_read_only(toy: Toy, outside: Path) -> Run:
    prefix = unprivileged()
    toy.migrate()
    toy.tests.chmod(0o555)
    return Run(RESTORE, prefix)


def no_pytest_python(*command: str) -> Setup:
    def setup(toy: Toy, outside: Path) -> Run:
        venv = outside / "venv-without-pytest"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        return Run((*command, "--python", str(python)))

    return setup


CASES = [
    # (id, setup, exit code, what the one line must say)
    ("missing-path", lambda toy, outside: Run(("migrate", "tests/nope.py", "--yes")), 2, "no such file"),
    ("directory", lambda toy, outside: Run(("migrate", "tests", "--yes")), 2, "is a directory"),
    ("not-python", text_file, 2, "is not a Python file"),
    ("binary", conftest_bytes(b"import pytest\x00\x01\x02\n"), 2, "is a binary file"),
    ("syntax-error", conftest_bytes(b"import pytest\n\ndef broken(:\n    pass\n"), 2, "syntax error"),
    ("empty", conftest_bytes(b""), 2, "defines no fixtures"),
    ("no-fixtures", conftest_bytes(b"import os\n\nX = 1\n\ndef helper():\n    return X\n"), 2, "defines no fixtures"),
    ("unknown-encoding", conftest_bytes(b"# -*- coding: klingon -*-\nX = 1\n"), 2, "unknown encoding"),
    ("undecodable", conftest_bytes(b"# caf\xe9 without a declaration\nX = 1\n"), 2, "is not valid UTF-8"),
    ("undecodable-declared", conftest_bytes(b"# coding: utf-8\n# caf\xe9\nX = 1\n"), 2, "cannot be decoded as utf-8"),
    ("not-named-conftest", not_named_conftest, 2, "is not named conftest.py"),
    ("read-only-directory", read_only_tests, 2, "is not writable"),
    ("backup-dir-not-writable", read_only_backup_dir, 2, "cannot create the backup"),
    ("backup-dir-links-outside", backup_dir_links_outside, 2, "is a symbolic link"),
    ("module-exists", module_exists, 2, "conftest_base.py already exist(s) next to"),
    ("module-links-outside", module_links_outside, 2, "already exist(s) (a symbolic link)"),
    ("module-dangling-link", module_dangling_link, 2, "already exist(s) (a symbolic link)"),
    ("conftest-links-outside", conftest_links_outside, 2, "is a symbolic link"),
    ("conftest-links-inside", conftest_links_inside, 2, "is a symbolic link"),
    ("backup-of-unsplit-tree", backup_of_unsplit_tree, 2, "holds the backup of an earlier migration"),
    ("interrupted-then-dry-run", interrupted_then(*MIGRATE, "--dry-run"), 2, "was interrupted"),
    ("interrupted-then-verify", interrupted_then(*VERIFY), 2, "was interrupted"),
    ("interrupted-then-profile", interrupted_then(*PROFILE), 2, "was interrupted"),
    ("no-confirmation", lambda toy, outside: Run(("migrate", "tests/conftest.py", "--no-measure")), 2, "--yes"),
    ("python-missing", migrate_with("--python", "/nonexistent/python3"), 2, "cannot run the interpreter"),
    ("python-without-pytest", no_pytest_python(*MIGRATE), 2, "cannot import pytest"),
    ("verify-python-missing", lambda toy, outside: Run((*VERIFY, "--python", "/nonexistent/python3")), 2, "cannot run the interpreter"),
    ("profile-python-without-pytest", no_pytest_python(*PROFILE), 2, "cannot import pytest"),
    ("restore-nothing", lambda toy, outside: Run(RESTORE), 2, "nothing to restore"),
    ("restore-manifest-not-json", migrated(write(MANIFEST, "{")), 2, "not a readable splitter manifest"),
    ("restore-manifest-future-schema", migrated(edit_manifest(schema_version=99)), 2, "unsupported schema_version 99"),
    ("restore-manifest-names-outside", migrated(outside_victim), 2, "is not a file beside the conftest"),
    ("restore-backup-outside", migrated(backup_copy_outside), 2, "outside"),
    ("restore-manifest-other-conftest", migrated(edit_manifest(conftest="other.py")), 2, "belongs to other.py"),
    ("restore-backup-changed", migrated(append(BACKUP, "# x\n")), 2, "was changed since the migration"),
    ("restore-backup-changed-forced", migrated(append(BACKUP, "# x\n"), "--force"), 2, "cannot prove"),
    ("restore-journal-not-json", migrated(write(JOURNAL, "[")), 2, "not a readable splitter journal"),
    ("restore-backup-dir-links-outside", migrated(backup_dir_moved_outside), 2, "is a symbolic link"),
    ("restore-module-edited", migrated(append("conftest_base.py", "# mine\n")), 1, "conftest_base.py changed since"),
    ("restore-conftest-edited", migrated(append("conftest.py", "# mine\n")), 1, "conftest.py changed since the migration"),
    ("restore-read-only", restore_read_only, 2, "is not writable"),
]  # fmt: skip


@pytest.mark.parametrize(("setup", "code", "message"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_bad_input_is_one_line_and_changes_nothing(toy: Toy, setup: Setup, code: int, message: str) -> None:
    outside = toy.root.parent / "outside"
    outside.mkdir()
    run = setup(toy, outside)
    before = tree_state(toy.root.parent)

    result = run_splitter(*run.args, cwd=toy.root, prefix=run.prefix)

    assert (result.returncode, message in result.stderr) == (code, True), result.stderr + result.stdout
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert tree_state(toy.root.parent) == before


def test_the_matrix_is_large_enough() -> None:
    assert len(CASES) >= 25


def test_splitter_s_own_interpreter_is_checked_without_starting_it(monkeypatch):
    """The default --python is splitter's own: whether it can import pytest needs no subprocess."""
    from splitter.safety import preflight

    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("started an interpreter")

    monkeypatch.setattr(preflight.subprocess, "run", no_subprocess)
    preflight.check_interpreter(sys.executable)
