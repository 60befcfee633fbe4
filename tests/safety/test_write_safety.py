"""Where splitter writes, what it runs, and what a failing write leaves behind.

- It changes nothing outside the conftest's directory and the backup directory
  (an audit hook in the splitter process logs every path it changes).
- It never writes through a symbolic link (the refusals are in test_bad_input).
- It never imports the user's conftest except in pytest, for verification.
- A write that fails (a full disk) at any step undoes itself: nothing changed.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import splitter.safety.journal
import splitter.safety.restore
import splitter.safety.write
from splitter.safety.disk import atomic_write
from splitter.errors import UserError
from splitter.migrate.migration import MigrateSettings, prepare_migration, run_migration
from splitter.safety.restore import restore_migration
from tests.safety.conftest import QUIET_ENV, Toy, make_toy, run_splitter

AUDITED = Path(__file__).with_name("audited.py")
MARKER_CONFTEST = '''import pathlib

import pytest

pathlib.Path(__file__).with_name("IMPORTED").write_text("the conftest ran")


@pytest.fixture
def fake_value():
    return 1


@pytest.fixture
def value(fake_value):
    return fake_value + 1
'''


def audited(toy: Toy, log: Path, *args: str) -> list[tuple[str, str]]:
    """Run the CLI under the audit hook; the (event, path) of every change it made."""
    scratch = log.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    # splitter's own cache (import costs, parses, probes) is the one other place it writes
    cache = scratch / "cache"
    env = {**os.environ, **QUIET_ENV, "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(scratch), "SPLITTER_CACHE_DIR": str(cache)}
    result = subprocess.run(
        [sys.executable, str(AUDITED), str(log), *args],
        cwd=toy.root, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return [tuple(line.split("\t")) for line in log.read_text().splitlines()]  # type: ignore[misc]


def test_writes_stay_in_the_conftest_folder_and_the_backup_folder(tmp_path: Path) -> None:
    toy = make_toy(tmp_path / "project")
    backups = tmp_path / "backups"
    allowed = (str(toy.tests) + os.sep, str(backups) + os.sep, str(tmp_path / "scratch") + os.sep)
    changes = []
    for args in (
        ("migrate", "tests/conftest.py", "--yes", "--no-measure", "--full-run", "--backup-dir", str(backups)),
        ("restore", "tests/conftest.py", "--backup-dir", str(backups)),
    ):
        changes += audited(toy, tmp_path / "audit.log", *args)

    assert {event for event, _ in changes} >= {"open", "os.rename", "os.remove", "os.mkdir", "os.rmdir"}
    assert [c for c in changes if not (c[1] + os.sep).startswith(allowed)] == []


def test_the_conftest_runs_only_under_pytest(tmp_path: Path) -> None:
    """analyze, graph, dry-run, an unverified migrate and restore never import the conftest."""
    toy = make_toy(tmp_path / "project", MARKER_CONFTEST, "def test_value(value):\n    assert value == 2\n")
    marker = toy.tests / "IMPORTED"
    for args in (
        ("analyze", "tests/conftest.py", "--no-measure"),
        ("graph", "tests/conftest.py", "--no-measure"),
        ("migrate", "tests/conftest.py", "--dry-run", "--no-measure"),
        ("migrate", "tests/conftest.py", "--yes", "--no-verify", "--no-measure"),
        ("restore", "tests/conftest.py"),
    ):
        assert run_splitter(*args, cwd=toy.root).returncode == 0, args
        assert not marker.exists(), args
    assert run_splitter("migrate", "tests/conftest.py", "--yes", "--no-measure", cwd=toy.root).returncode == 0
    assert marker.exists()  # verification runs pytest, which imports it


def test_new_modules_get_the_umask_permissions(toy: Toy) -> None:
    toy.conftest.chmod(0o640)
    mask = os.umask(0o022)
    os.umask(mask)
    toy.migrate()
    assert (toy.tests / "conftest_base.py").stat().st_mode & 0o777 == 0o666 & ~mask
    assert toy.conftest.stat().st_mode & 0o777 == 0o640


def test_a_module_replaced_by_a_link_is_an_edit_and_force_removes_only_the_link(toy: Toy) -> None:
    outside = toy.root.parent / "outside.py"
    toy.migrate()
    base = toy.tests / "conftest_base.py"
    outside.write_bytes(base.read_bytes())  # the same content, but not our file any more
    base.unlink()
    base.symlink_to(outside)

    with pytest.raises(UserError, match="conftest_base.py changed since the migration"):
        restore_migration(toy.conftest)
    restore_migration(toy.conftest, force=True)

    assert not os.path.lexists(base) and outside.is_file()


def test_a_backup_folder_link_inside_the_backup_directory_is_refused(toy: Toy) -> None:
    elsewhere = toy.root.parent / "elsewhere"
    elsewhere.mkdir()
    toy.backup.mkdir()
    (toy.backup / "backup").symlink_to(elsewhere, target_is_directory=True)

    with pytest.raises(UserError, match="is a symbolic link"):
        toy.migrate()
    assert list(elsewhere.iterdir()) == []


def failing_on(call: int, real: Callable[[Path, bytes], None]) -> Callable[[Path, bytes], None]:
    """``real``, except that its ``call``-th call fails as on a full disk."""
    calls = [0]

    def write(path: Path, data: bytes) -> None:
        calls[0] += 1
        if calls[0] == call:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    return write


@pytest.mark.parametrize("module", [splitter.safety.write, splitter.safety.journal], ids=["file", "journal"])
@pytest.mark.parametrize("call", range(1, 6))
def test_a_full_disk_while_migrating_changes_nothing(
    toy: Toy, monkeypatch: pytest.MonkeyPatch, module: object, call: int
) -> None:
    """Writes 1–5: backup, manifest, two modules, root conftest (or the journal before each)."""
    before = toy.state()
    monkeypatch.setattr(module, "atomic_write", failing_on(call, atomic_write))
    settings = MigrateSettings(toy.conftest, verify=False, measure=False)
    migration = prepare_migration(settings)
    assert migration is not None

    with pytest.raises(UserError, match="No space left on device; nothing was changed"):
        run_migration(settings, migration)
    assert toy.state() == before


def test_a_full_disk_while_restoring_is_finished_by_the_next_restore(
    toy: Toy, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = toy.state()
    toy.migrate()
    monkeypatch.setattr(splitter.safety.restore, "atomic_write", failing_on(1, atomic_write))

    with pytest.raises(UserError, match="run `splitter restore .*` again to finish"):
        restore_migration(toy.conftest)
    monkeypatch.undo()
    assert restore_migration(toy.conftest).recovered is splitter.safety.journal.Operation.RESTORE
    assert toy.state() == before
