"""Where the loader's guard remembers a clean check: never a name another user can plant.

Under ``PYTHONDONTWRITEBYTECODE`` the record goes to ``splitter-of-<uid>`` in the temp
directory, created 0o700 and used only while it is a directory of this user that nobody
else can write to; it is written through a fresh ``mkstemp`` file and ``os.replace``.
Real pytest runs on a migrated corpus, with ``TMPDIR`` pointing at a directory of the test.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership and modes")


@pytest.fixture
def split_tree(corpus_copy, cli) -> Path:
    """A migrated copy of a corpus (its rootdir)."""
    conftest = corpus_copy("shared_state")
    assert cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure").returncode == 0
    return conftest.parent.parent


def collect(root: Path, temp: Path, *, bytecode: bool = False) -> subprocess.CompletedProcess[str]:
    """pytest collecting the tree, the guard running at conftest import."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(TMPDIR=str(temp), PYTHONDONTWRITEBYTECODE="" if bytecode else "1")
    if bytecode:
        del env["PYTHONDONTWRITEBYTECODE"]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", "-W", "error::UserWarning"]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, timeout=300)


def record_name(root: Path) -> str:
    loader = (root / "tests" / "conftest_loader.py").resolve()
    return f"splitter-guard-{zlib.crc32(str(loader).encode())}.txt"


def test_the_record_goes_to_a_private_directory_of_the_user(split_tree: Path, tmp_path: Path):
    temp = tmp_path / "tmp"
    temp.mkdir()

    done = collect(split_tree, temp)

    assert done.returncode == 0, done.stdout + done.stderr
    private = temp / f"splitter-of-{os.getuid()}"
    info = os.lstat(private)
    assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.getuid()
    assert sorted(p.name for p in temp.iterdir()) == [private.name]
    assert sorted(p.name for p in private.iterdir()) == [record_name(split_tree)]  # no temp file left behind
    assert "conftest_loader.py" in (private / record_name(split_tree)).read_text()
    assert collect(split_tree, temp).returncode == 0  # the record is read back


def test_a_planted_symlink_receives_nothing(split_tree: Path, tmp_path: Path):
    """Another user's link at the private directory's name, or at 0.1.0's predictable record name."""
    temp, elsewhere, victim = tmp_path / "tmp", tmp_path / "elsewhere", tmp_path / "victim.txt"
    temp.mkdir()
    elsewhere.mkdir()
    victim.write_text("keep me")
    (temp / f"splitter-of-{os.getuid()}").symlink_to(elsewhere, target_is_directory=True)
    (temp / record_name(split_tree)).symlink_to(victim)

    done = collect(split_tree, temp)

    assert done.returncode == 0, done.stdout + done.stderr
    assert list(elsewhere.iterdir()) == [] and victim.read_text() == "keep me"
    assert (temp / f"splitter-of-{os.getuid()}").is_symlink()


def test_a_directory_others_can_write_to_is_not_used(split_tree: Path, tmp_path: Path):
    temp = tmp_path / "tmp"
    private = temp / f"splitter-of-{os.getuid()}"
    private.mkdir(parents=True)
    private.chmod(0o777)

    done = collect(split_tree, temp)

    assert done.returncode == 0, done.stdout + done.stderr
    assert list(private.iterdir()) == []


def test_with_bytecode_the_record_goes_to_pycache_beside_the_loader(split_tree: Path, tmp_path: Path):
    temp = tmp_path / "tmp"
    temp.mkdir()

    done = collect(split_tree, temp, bytecode=True)

    assert done.returncode == 0, done.stdout + done.stderr
    cache = split_tree / "tests" / "__pycache__"
    assert (cache / "splitter-guard-conftest_loader.txt").is_file()
    assert not [p for p in cache.iterdir() if p.name.startswith(".splitter-guard")]
    assert list(temp.iterdir()) == []
