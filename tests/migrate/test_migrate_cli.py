"""``splitter migrate`` / ``restore`` end to end: the real CLI on copies of every corpus,
verified by real pytest runs (outcomes included)."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest

from splitter.migrate.migration import MigrateSettings, kept_in_root, prepare_migration
from tests.corpora import corpora
from tests.migrate.conftest import tree_digest

CORPORA = [name for name, _ in corpora()]


@pytest.mark.parametrize("name", CORPORA)
def test_full_cycle(name, corpus_copy, cli):
    """dry-run writes nothing; migrate verifies (outcomes identical); again is a no-op;
    restore gives back the original tree byte for byte."""
    conftest = corpus_copy(name)
    root = conftest.parent.parent if conftest.parent.name == "tests" else conftest.parent
    original = tree_digest(root)

    dry = cli("migrate", str(conftest), "--dry-run", "--no-measure")
    assert dry.returncode == 0, dry.stderr
    assert "+++" in dry.stdout and tree_digest(root) == original

    migrated = cli("migrate", str(conftest), "--yes", "--full-run", "--no-measure")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "fixture API unchanged" in migrated.stdout
    assert (conftest.parent / ".splitter" / "manifest.json").is_file()

    again = cli("migrate", str(conftest), "--yes", "--no-measure")
    assert again.returncode == 0 and "nothing to do" in again.stdout

    restored = cli("restore", str(conftest))
    assert restored.returncode == 0, restored.stderr
    assert tree_digest(root) == original


def test_keep_leaves_named_fixtures_in_the_root_and_the_split_verifies(corpus_copy, cli):
    """``--keep`` (and ``[tool.splitter] keep``): the user says what stays in the root conftest."""
    conftest = corpus_copy("shared_state")
    done = cli("migrate", str(conftest), "--yes", "--no-outcomes", "--no-measure", "--keep", "events", "--keep", "nope")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "def events():" in conftest.read_text()
    assert "def events():" not in (conftest.parent / "conftest_base.py").read_text()
    assert "keep: the conftest defines no `nope`" in done.stdout + done.stderr


def test_a_rollback_traced_to_a_moved_fixture_ends_in_a_kept_smaller_split(corpus_copy, cli):
    """wild_source_file: the first split changes a test's outcome; migrate plans again with the
    fixture that test uses kept in the root, verifies once more and keeps that split."""
    conftest = corpus_copy("wild_source_file")
    done = cli("migrate", str(conftest), "--yes", "--no-measure", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "migrated"
    assert [k["name"] for k in result["kept"]] == ["make_handler"]
    assert "test_the_handler_is_defined_in_the_conftest" in result["kept"][0]["why"]
    assert "def make_handler" in conftest.read_text()
    assert "def settings_dict" in (conftest.parent / "conftest_base.py").read_text()
    # the manifest remembers it, so migrating the split again moves nothing back out
    assert json.loads((conftest.parent / ".splitter" / "manifest.json").read_text())["keep"] == ["make_handler"]
    again = cli("migrate", str(conftest), "--yes", "--no-measure")
    assert again.returncode == 0 and "nothing to do" in again.stdout, again.stdout + again.stderr


def test_a_lazy_module_imports_under_the_warning_filters_of_the_conftest_import(corpus_copy, cli):
    """wild_import_warning: a class body warns when defined; with ``filterwarnings = error`` that
    was only shown at conftest import (a shim's filter in front). Loaded lazily at fixture setup,
    the module must see the same filters, so the split keeps it lazy and nothing stays behind."""
    conftest = corpus_copy("wild_import_warning")
    done = cli("migrate", str(conftest), "--yes", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "migrated" and result["kept"] == []
    assert "class FrameBuilder" in (conftest.parent / "conftest_services.py").read_text()
    assert "frame" in result["lazy_fixtures"]


def test_check_reports_pending_changes_then_none(corpus_copy, cli):
    conftest = corpus_copy("shared_state")
    assert cli("migrate", str(conftest), "--check", "--no-measure").returncode == 1
    assert cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure").returncode == 0
    assert cli("migrate", str(conftest), "--check", "--no-measure").returncode == 0


def test_restore_refuses_to_discard_edits_unless_forced(corpus_copy, cli):
    conftest = corpus_copy("shared_state")
    legacy = conftest.read_bytes()
    assert cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure").returncode == 0
    base = conftest.parent / "conftest_base.py"
    base.write_text(base.read_text() + "\n# my edit\n")

    refused = cli("restore", str(conftest))
    assert refused.returncode == 1
    assert "conftest_base.py changed since the migration" in refused.stderr
    assert "# my edit" in base.read_text()

    forced = cli("restore", str(conftest), "--force")
    assert forced.returncode == 0 and conftest.read_bytes() == legacy and not base.exists()


EVERY_TEST_BREAKS = """
import pathlib

import pytest


@pytest.mark.parametrize("n", range(200))
def test_the_conftest_is_still_long(n):
    conftest = pathlib.Path(__file__).with_name("conftest.py")
    assert len(conftest.read_text().splitlines()) == LINES
"""


def test_a_split_that_breaks_every_test_stops_early_and_rolls_back(corpus_copy, cli):
    """Fail fast: the run after the split stops once STOP_EARLY tests changed outcome and they
    are all it ran, re-runs none of them, and migrate does not plan again (a change this wide
    is decided)."""
    conftest = corpus_copy("shared_state")
    lines = len(conftest.read_text().splitlines())
    (conftest.parent / "test_length.py").write_text(EVERY_TEST_BREAKS.replace("LINES", str(lines)))
    before = tree_digest(conftest.parent)
    result = cli("migrate", str(conftest), "--yes", "--no-measure", "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["outcome"] == "rolled_back"
    assert re.fullmatch(r"10 of the first 1\d tests changed outcome", data["stopped"])  # the corpus's own tests pass
    changed = [d for d in data["differences"] if d["kind"] == "outcome"]
    assert 10 <= len(changed) < 20  # the tests after the 10th did not run
    assert "re-running" not in result.stderr and "planning again" not in result.stderr
    assert tree_digest(conftest.parent) == before


def test_migrate_refuses_to_clobber_an_existing_module(corpus_copy, cli):
    conftest = corpus_copy("shared_state")
    mine = conftest.parent / "conftest_base.py"
    mine.write_text("MINE = 1\n")
    before = tree_digest(conftest.parent)
    result = cli("migrate", str(conftest), "--yes", "--no-measure")
    assert result.returncode == 2 and "conftest_base.py already exist" in result.stderr
    assert tree_digest(conftest.parent) == before


def test_a_split_that_changes_behaviour_is_rolled_back(corpus_copy, cli):
    """A test that observes where a class lives cannot be seen statically: the full run
    catches it and the migration is undone."""
    conftest = corpus_copy("shared_state")
    (conftest.parent / "test_where.py").write_text(
        "from tests.conftest import Counter\n\n"
        "def test_counter_lives_in_the_conftest():\n"
        "    assert Counter.__module__ == 'tests.conftest'\n"
    )
    before = tree_digest(conftest.parent)
    result = cli("migrate", str(conftest), "--yes", "--full-run", "--no-measure")
    assert result.returncode == 1
    assert "rolled back" in result.stdout and "passed → failed" in result.stdout
    assert tree_digest(conftest.parent) == before


def test_json_output(corpus_copy, cli):
    conftest = corpus_copy("name_aliases")
    result = cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure", "--json")
    data = json.loads(result.stdout)
    assert data["outcome"] == "migrated_unverified"
    assert {f["file"] for f in data["files"]} >= {"conftest.py", "conftest_base.py"}


def test_non_interactive_run_needs_yes(corpus_copy, cli):
    conftest = corpus_copy("shared_state")
    result = cli("migrate", str(conftest), "--no-measure")
    assert result.returncode == 2 and "--yes" in result.stderr


def test_restore_without_a_migration_is_a_clear_error(corpus_copy, cli):
    conftest = corpus_copy("shared_state")
    result = cli("restore", str(conftest))
    assert result.returncode == 2 and "nothing to restore" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("bad", ["missing.py", "not_python.txt"])
def test_bad_input_is_one_line(tmp_path: Path, cli, bad):
    path = tmp_path / bad
    if bad.endswith(".txt"):
        path.write_text("hello")
    result = cli("migrate", str(path), "--yes")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_dry_run_piped_prints_the_whole_diff_at_any_width(corpus_copy):
    """``splitter migrate --dry-run > review.diff`` keeps long lines whole (Rich would crop them at 80)."""
    conftest = corpus_copy("monolith")
    migration = prepare_migration(MigrateSettings(conftest, measure=False))
    assert migration is not None and max(map(len, migration.diff().splitlines())) > 80
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    dry = subprocess.run(
        [sys.executable, "-m", "splitter", "migrate", str(conftest), "--dry-run", "--no-verify", "--no-measure"],
        capture_output=True,
        text=True,
        env={**env, "NO_COLOR": "1"},
        timeout=600,
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith(migration.diff())


def test_the_default_migrate_runs_pytest_once_per_tree_under_xdist(corpus_copy, cli):
    """The cost of the default migrate (issue 13): the run that records the API also runs
    the tests and is the one measured, on each tree; the unit/ folder beside the conftest
    is not collected again, and xdist needs no extra collect-only pass."""
    conftest = corpus_copy("e2e_neighbours")
    assert (conftest.parent / "unit").is_dir()
    result = cli("migrate", str(conftest), "--yes", "--no-measure", "--json", "--", "-n", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["outcome"] == "migrated"
    for side in ("before", "after"):
        assert [m["label"] for m in data["measurements"][side]] == ["collect", "run"]
    assert "--collect-only" not in result.stderr


def test_the_cost_table_says_what_was_measured(corpus_copy, cli):
    conftest = corpus_copy("shared_state")
    result = cli("migrate", str(conftest), "--yes", "--no-measure")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "│ collect " in result.stdout and "│ full run " in result.stdout
    assert "peak RSS: the pytest process tree (xdist workers included), sampled every 20 ms" in result.stdout


def test_the_interpreter_is_checked_the_way_pytest_runs(corpus_copy, tmp_path):
    """Run from inside a package with its own ``typing.py``, with ``--python`` given from
    there (a path to the same environment, not splitter's own interpreter, so it is
    started to be checked): the check must not put the working directory on
    ``sys.path`` (it refused with "cannot import pytest"), and the relative path must
    still name the interpreter when pytest runs from the rootdir."""
    conftest = corpus_copy("wild_cwd_shadow")
    package = conftest.parents[1] / "src" / "shop"
    assert (package / "typing.py").is_file()
    environment = tmp_path / "project-venv"
    environment.symlink_to(sys.prefix, target_is_directory=True)
    python = environment / Path(sys.executable).relative_to(sys.prefix)
    relative = os.path.relpath(python, package)

    # as the `splitter` console script starts: its own folder first on sys.path, not the
    # working directory (`python -m splitter` would import the package's typing.py itself)
    console_script = "import sys; del sys.path[: sys.path[:1] == ['']]; from splitter.cli import main; main()"
    args = ("migrate", os.path.relpath(conftest, package), "--yes", "--no-measure", "--python", relative)
    result = subprocess.run(
        [sys.executable, "-c", console_script, *args],
        cwd=package,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        timeout=600,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "fixture API unchanged for 3 tests" in result.stdout


def test_fixtures_of_a_star_import_kept_in_the_root_raise_no_warning(corpus_copy, cli):
    """A star import analyze cannot read (its package is importable only through pytest's
    ``pythonpath`` ini option) stays in the root: pytest registers its fixtures from there
    before and after, so analyze not listing them is no risk to warn about, fixture by
    fixture (21 warnings on one project)."""
    conftest = corpus_copy("wild_star_package")
    root = conftest.parents[1]
    (root / "support").mkdir()
    (conftest.parent / "fixtures").rename(root / "support" / "shop_fixtures")
    (root / "pytest.ini").write_text((root / "pytest.ini").read_text() + "pythonpath = support\n")
    conftest.write_text(conftest.read_text().replace("from tests.fixtures import *", "from shop_fixtures import *"))
    migration = prepare_migration(MigrateSettings(conftest, measure=False))
    assert migration is not None
    assert kept_in_root(migration, ["account", "orders", "currency"]) == {"account", "orders"}

    result = cli("migrate", str(conftest), "--yes", "--no-measure")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "kept in the root conftest: star import from shop_fixtures" in result.stdout + result.stderr
    assert "analyze did not find" not in result.stdout + result.stderr
