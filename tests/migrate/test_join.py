"""``splitter join`` end to end: the real CLI, verified by real pytest runs.

Join proves itself: it records the fixture API of the split tree, then of the
joined conftest, and puts the split back on any difference — so a successful
join after hand edits and ``sync`` is the proof that pytest sees, through the
loader, exactly what a single conftest with the same definitions gives.
"""

from __future__ import annotations

import pytest

from tests.corpora import corpora
from tests.migrate.conftest import tree_digest
from tests.migrate.split_edits import EDITS

# join does not yet put back at the top an import that migrate moved into function bodies,
# so `conftest.pi` of wild_heavy_data_import is gone after a join; join's own verification
# catches it and puts the split back (safe, and the test pins that it still fails).
JOIN_GAP = pytest.mark.xfail(strict=True, reason="join keeps imports moved into bodies there (conftest.X of imported data)")
# wild_import_warning: the split emits the class body's DeprecationWarning when the lazy module
# loads; the joined conftest emits it while collecting, as the original did, and join's
# comparison with the split counts that as a new collection warning (it puts the split back).
WARNING_GAP = pytest.mark.xfail(strict=True, reason="join counts the original's collection warning as new")
# wild_source_file: the unverified migrate (--no-verify) makes the split a test tells apart
# (it checks where a function is defined); join compares with that split and refuses to bring
# back the original behaviour. The default, verified migrate keeps the fixture in the root.
UNVERIFIED_GAP = pytest.mark.xfail(strict=True, reason="the --no-verify split of this corpus changes an outcome")
# wild_annotation_alias: the same gap for an import migrate moved under `if TYPE_CHECKING:`.
GAPS = {"wild_heavy_data_import": JOIN_GAP, "wild_annotation_alias": JOIN_GAP}
GAPS |= {"wild_import_warning": WARNING_GAP, "wild_source_file": UNVERIFIED_GAP}
CORPORA = [pytest.param(name, marks=GAPS[name]) if name in GAPS else name for name, _ in corpora()]
COMBINED = ("eager_added", "lazy_added", "async_added", "parametrized_added", "name_added", "scope_changed")
COMBINED += ("params_and_ids_changed", "arguments_changed")


@pytest.mark.parametrize("name", CORPORA)
def test_join_then_migrate_round_trips(name, corpus_copy, cli):
    conftest = corpus_copy(name)
    assert cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure").returncode == 0

    joined = cli("join", str(conftest), "--yes")
    assert joined.returncode == 0 and "fixture API unchanged" in joined.stdout, joined.stdout + joined.stderr
    assert "# -- splitter:" not in conftest.read_text(encoding="utf-8")
    assert not (conftest.parent / "conftest_loader.py").exists()
    again = cli("migrate", str(conftest), "--yes", "--no-measure")
    assert again.returncode == 0 and "fixture API unchanged" in again.stdout, again.stdout + again.stderr
    assert cli("sync", str(conftest), "--check").returncode == 0


def test_join_after_edits_and_sync_keeps_the_api(split_monolith, cli):
    """Eight hand edits, one sync: the joined conftest (verified by join itself) has the same API."""
    tests = split_monolith / "tests"
    conftest = tests / "conftest.py"
    for edit in EDITS:
        if edit.name in COMBINED:
            edit.apply(tests)
            (tests / "unit" / f"test_{edit.name}.py").write_text(edit.test, encoding="utf-8")
    assert cli("sync", str(conftest)).returncode == 0

    joined = cli("join", str(conftest), "--yes")

    assert joined.returncode == 0 and "fixture API unchanged" in joined.stdout, joined.stdout + joined.stderr
    text = conftest.read_text(encoding="utf-8")
    assert "def added_service(" in text and '@pytest.fixture(scope="session")\ndef analytics_frame' in text
    assert not (tests / "conftest_services.py").exists()


def test_join_undo_puts_the_split_back_and_restore_still_means_the_legacy_file(split_monolith, cli):
    from tests.corpora import CORPUS

    tests = split_monolith / "tests"
    conftest = tests / "conftest.py"
    split = tree_digest(tests)

    assert cli("join", str(conftest), "--yes", "--no-verify").returncode == 0
    assert "# -- splitter:" not in conftest.read_text(encoding="utf-8")
    assert not (tests / "conftest_loader.py").exists()
    undone = cli("join", str(conftest), "--undo")
    assert undone.returncode == 0, undone.stderr
    assert tree_digest(tests) == split

    assert cli("join", str(conftest), "--yes", "--no-verify").returncode == 0
    restored = cli("restore", str(conftest), "--force")
    assert restored.returncode == 0, restored.stderr
    assert conftest.read_bytes() == (CORPUS / "monolith" / "tests" / "conftest.py").read_bytes()


@pytest.mark.parametrize(
    "damage, message",
    [
        pytest.param(lambda t: (t / "conftest_e2e.py").unlink(), "conftest_e2e.py is missing", id="module_deleted"),
        pytest.param(
            lambda t: (t / "conftest_services.py").write_text("def broken(:\n"), "syntax error", id="syntax_error"
        ),
    ],
)
def test_join_bad_input_is_one_line_and_changes_nothing(damage, message, split_monolith, cli):
    tests = split_monolith / "tests"
    damage(tests)
    before = tree_digest(split_monolith)

    done = cli("join", str(tests / "conftest.py"), "--yes")

    assert done.returncode == 2 and message in done.stderr, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert tree_digest(split_monolith) == before
