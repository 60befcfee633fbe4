"""SIGKILL at every step of migrate and restore: the tree is never lost, never left a mix.

The CLI runs with the test hook ``SPLITTER_PAUSE_AT_STEP=N`` (see
:mod:`splitter.safety.journal`): it prints "paused at step N: …" just before step N
and waits to be killed. After the kill, ``splitter restore`` must give back the
exact original, and ``splitter migrate`` again must give exactly the complete
migration (it undoes the interrupted operation first).

Steps of the toy project (two modules): migrate 1 backup, 2 manifest,
3 conftest_base.py, 4 conftest_mocks.py, 5 the root conftest, 6 verify;
restore 1 the legacy conftest, 2–3 each module removed, 4 the backup directory.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from splitter.safety.journal import PAUSE_ENV
from tests.safety.conftest import QUIET_ENV, Toy, make_toy, run_splitter

MIGRATE = ("migrate", "tests/conftest.py", "--yes", "--no-measure")
RESTORE = ("restore", "tests/conftest.py")
MANIFEST = "tests/.splitter/manifest.json"
MIGRATE_STEPS = range(1, 7)
RESTORE_STEPS = range(1, 5)
PAUSE_TIMEOUT = 180


def kill_at_step(toy: Toy, args: tuple[str, ...], step: str) -> str:
    """Run the CLI until it pauses before ``step``, SIGKILL it; the pause line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "splitter", *args],
        cwd=toy.root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **QUIET_ENV, PAUSE_ENV: step},
    )
    lines: queue.Queue[str] = queue.Queue()
    stderr = process.stderr
    assert stderr is not None

    def read() -> None:
        for line in stderr:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    seen = []
    try:
        while True:
            line = lines.get(timeout=PAUSE_TIMEOUT)
            seen.append(line)
            if line.startswith("paused at step"):
                return line.strip()
            if process.poll() is not None and lines.empty():
                pytest.fail(f"the CLI ended (exit {process.returncode}) before step {step}: {''.join(seen)}")
    except queue.Empty:
        pytest.fail(f"the CLI never paused at step {step}: {''.join(seen)}")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def comparable(state: dict[str, str], root: Path) -> dict[str, object]:
    """A tree state where the manifest's creation time does not count."""
    result: dict[str, object] = dict(state)
    if MANIFEST in state:
        manifest = json.loads((root / MANIFEST).read_text())
        manifest.pop("created_at")
        result[MANIFEST] = manifest
    return result


@pytest.fixture(scope="session")
def complete_migration(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The toy project as a clean, uninterrupted ``splitter migrate`` leaves it."""
    toy = make_toy(tmp_path_factory.mktemp("reference") / "project")
    toy.migrate()
    return comparable(toy.state(), toy.root)


def check_recovery(toy: Toy, before: dict[str, str], complete: dict[str, object], recover_with: str) -> None:
    if recover_with == "restore":
        result = run_splitter(*RESTORE, cwd=toy.root)
        assert result.returncode == 0, result.stdout + result.stderr
        assert toy.state() == before
    else:  # verification is tested elsewhere; here only the files count
        result = run_splitter(*MIGRATE, "--no-verify", cwd=toy.root)
        assert result.returncode == 0, result.stdout + result.stderr
        assert comparable(toy.state(), toy.root) == complete
        assert run_splitter(*RESTORE, cwd=toy.root).returncode == 0
        assert toy.state() == before


@pytest.mark.parametrize("recover_with", ["restore", "migrate"])
@pytest.mark.parametrize("step", MIGRATE_STEPS)
def test_killed_migrate(toy: Toy, complete_migration: dict[str, object], step: int, recover_with: str) -> None:
    before = toy.state()

    paused = kill_at_step(toy, MIGRATE, str(step))

    assert paused.startswith(f"paused at step {step}: ")
    assert (toy.backup / "journal.json").is_file()
    check_recovery(toy, before, complete_migration, recover_with)


@pytest.mark.parametrize("recover_with", ["restore", "migrate"])
@pytest.mark.parametrize("step", RESTORE_STEPS)
def test_killed_restore(toy: Toy, complete_migration: dict[str, object], step: int, recover_with: str) -> None:
    before = toy.state()
    toy.migrate()

    paused = kill_at_step(toy, RESTORE, str(step))

    assert paused.startswith(f"paused at step {step}: ")
    check_recovery(toy, before, complete_migration, recover_with)


def test_killed_recovery_of_a_killed_migrate(toy: Toy) -> None:
    """A crash while recovering from a crash: the journal still says what to do."""
    before = toy.state()
    kill_at_step(toy, MIGRATE, "5")
    kill_at_step(toy, RESTORE, "restore:3")

    assert run_splitter(*RESTORE, cwd=toy.root).returncode == 0
    assert toy.state() == before


@pytest.mark.parametrize("step", [1, 2, 4])
def test_killed_automatic_rollback(tmp_path: Path, step: int) -> None:
    """A split that fails verification is rolled back by a restore; killing that restore loses nothing."""
    where = "from tests.conftest import shout\n\n\ndef test_where():\n    assert shout.__module__ == 'tests.conftest'\n"
    toy = make_toy(tmp_path / "project", tests=where)
    before = toy.state()

    paused = kill_at_step(toy, (*MIGRATE, "--full-run"), f"restore:{step}")

    assert paused.startswith(f"paused at step {step}: ")
    assert run_splitter(*RESTORE, cwd=toy.root).returncode == 0
    assert toy.state() == before
