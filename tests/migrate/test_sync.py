"""``splitter sync`` end to end: the real CLI and real pytest on migrated copies of the corpora.

After a hand edit of the split modules, ``sync --check`` exits 1 naming it and a
plain pytest run names the fix (the loader's guard); after ``sync``, the check
passes and pytest sees the edit. Nothing but ``conftest_loader.py`` (and the
root's generated block) changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpora import corpora
from tests.migrate.conftest import tree_digest
from tests.migrate.split_edits import EDITS, Edit

CORPORA = [name for name, _ in corpora()]


def run_pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A plain pytest run in ``root``, as a user starts it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("name", CORPORA)
def test_sync_right_after_migrate_changes_nothing(name, corpus_copy, cli):
    conftest = corpus_copy(name)
    assert cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure").returncode == 0
    before = tree_digest(conftest.parent)

    check = cli("sync", str(conftest), "--check")
    synced = cli("sync", str(conftest))

    assert check.returncode == 0, check.stdout + check.stderr
    assert synced.returncode == 0 and "up to date" in synced.stdout, synced.stderr
    assert tree_digest(conftest.parent) == before


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.name)
def test_sync_picks_up_a_hand_edit(edit: Edit, split_monolith: Path, cli):
    tests = split_monolith / "tests"
    conftest = tests / "conftest.py"
    edit.apply(tests)
    (tests / "unit" / "test_edited.py").write_text(edit.test, encoding="utf-8")
    hand_written = _outside_loader(conftest)

    stale = cli("sync", str(conftest), "--check")
    before = run_pytest(split_monolith, "tests/unit/test_edited.py")
    original = conftest.read_bytes()
    dry = cli("sync", str(conftest), "--dry-run")
    unchanged = conftest.read_bytes()
    synced = cli("sync", str(conftest))
    again = cli("sync", str(conftest), "--check")
    after = run_pytest(split_monolith, "tests/unit/test_edited.py")

    assert stale.returncode == 1 and edit.stale in stale.stdout, stale.stdout + stale.stderr
    assert "splitter sync tests/conftest.py" in before.stdout, before.stdout
    assert dry.returncode == 0 and "+++" in dry.stdout and unchanged == original
    assert synced.returncode == 0, synced.stderr
    assert again.returncode == 0, again.stdout
    assert after.returncode == 0 and "splitter:" not in after.stdout, after.stdout
    assert _outside_loader(conftest) == hand_written


def test_sync_writes_only_the_loader_module(split_monolith: Path, cli):
    tests = split_monolith / "tests"
    EDITS[1].apply(tests)
    before = tree_digest(split_monolith)

    assert cli("sync", str(tests / "conftest.py")).returncode == 0

    after = tree_digest(split_monolith)
    assert {path for path in before if before[path] != after.get(path)} == {"tests/conftest_loader.py"}
    assert set(after) == set(before)


def test_sync_puts_back_the_root_block_and_nothing_else_of_the_root(split_monolith: Path, cli):
    """The root's generated block is sync's: a deleted blank line or comment inside it comes back."""
    conftest = split_monolith / "tests" / "conftest.py"
    original = conftest.read_text(encoding="utf-8")
    _edit(conftest, "(visibility kept).\n", "(visibility kept).\n# my note\n")

    check = cli("sync", str(conftest), "--check")
    synced = cli("sync", str(conftest))

    assert check.returncode == 1, check.stdout + check.stderr
    assert synced.returncode == 0, synced.stderr
    assert conftest.read_text(encoding="utf-8") == original


@pytest.mark.parametrize(
    "damage, message",
    [
        pytest.param(lambda t: (t / "conftest_e2e.py").unlink(), "conftest_e2e.py is missing", id="module_deleted"),
        pytest.param(
            lambda t: (t / "conftest_services.py").write_text("def broken(:\n"), "syntax error", id="syntax_error"
        ),
        pytest.param(
            lambda t: _edit(t / "conftest_loader.py", "if name not in self.names:", "if name in ():"),
            "edited by hand (_SplitModuleFinder",
            id="loader_hand_edited",
        ),
        pytest.param(
            lambda t: _edit(
                t / "conftest_loader.py", 'return _implementation("db_sessionmaker")', 'return _implementation("x")'
            ),
            "edited by hand (db_sessionmaker",
            id="stub_hand_edited",
        ),
        pytest.param(
            lambda t: _edit(t / "conftest.py", "return loader.CONFTEST_NAMES", "return {}"),
            "edited by hand (_load_split",
            id="root_block_hand_edited",
        ),
        pytest.param(lambda t: (t / "conftest_loader.py").unlink(), "conftest_loader.py is missing", id="loader_deleted"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(damage, message, split_monolith: Path, cli):
    tests = split_monolith / "tests"
    damage(tests)
    before = tree_digest(split_monolith)

    for args in ((), ("--check",), ("--dry-run",)):
        done = cli("sync", str(tests / "conftest.py"), *args)
        assert done.returncode == 2, done.stdout + done.stderr
        assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert tree_digest(split_monolith) == before


def test_sync_refuses_a_conftest_that_is_not_split(corpus_copy, cli):
    done = cli("sync", str(corpus_copy("shared_state")), "--check")
    assert done.returncode == 2 and "splitter migrate" in done.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _outside_loader(conftest: Path) -> list[str]:
    """The root's statements outside splitter's block."""
    from splitter.migrate.sync import read_split

    return [d.source.strip() for d in read_split(conftest).hand_written]
