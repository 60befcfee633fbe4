"""Incremental ``splitter migrate`` on a split tree: a fixture added to the root since the split
is planned into the existing modules, verified by real pytest runs."""

from __future__ import annotations


from tests.migrate.conftest import tree_digest
from tests.migrate.test_sync import run_pytest

# The root of the split imports only what its own statements use: the new fixture brings its import.
HEAVY = '''
import pytest


@pytest.fixture
def heavy_frame():
    """A heavy fixture added to the root conftest after the split."""
    import numpy

    return numpy.zeros(3)
'''


def test_a_heavy_fixture_added_to_the_root_moves_into_its_lazy_module(corpus_copy, cli):
    conftest = corpus_copy("optional_imports")
    assert cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure").returncode == 0
    conftest.write_text(conftest.read_text(encoding="utf-8") + HEAVY, encoding="utf-8")
    (conftest.parent / "test_heavy.py").write_text("def test_heavy(heavy_frame):\n    assert heavy_frame.sum() == 0\n")
    rootdir = conftest.parent.parent

    check = cli("migrate", str(conftest), "--check", "--no-measure")
    migrated = cli("migrate", str(conftest), "--yes", "--no-measure")

    assert check.returncode == 1, check.stdout + check.stderr
    assert migrated.returncode == 0 and "fixture API unchanged" in migrated.stdout, migrated.stdout + migrated.stderr
    services = (conftest.parent / "conftest_services.py").read_text(encoding="utf-8")
    assert "def heavy_frame():" in services and "import numpy" in services
    assert '_implementation("heavy_frame")' in (conftest.parent / "conftest_loader.py").read_text(encoding="utf-8")
    assert "def heavy_frame" not in conftest.read_text(encoding="utf-8")
    assert not (conftest.parent / ".splitter" / "incremental").exists()
    assert cli("sync", str(conftest), "--check").returncode == 0
    assert run_pytest(rootdir, "tests/test_heavy.py").returncode == 0
    again = cli("migrate", str(conftest), "--yes", "--no-measure")
    assert again.returncode == 0 and "nothing to do" in again.stdout, again.stdout


def test_incremental_dry_run_writes_nothing(corpus_copy, cli):
    conftest = corpus_copy("optional_imports")
    assert cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure").returncode == 0
    conftest.write_text(conftest.read_text(encoding="utf-8") + HEAVY, encoding="utf-8")
    before = tree_digest(conftest.parent)

    dry = cli("migrate", str(conftest), "--dry-run", "--no-measure")

    assert dry.returncode == 0 and "+def heavy_frame():" in dry.stdout, dry.stdout + dry.stderr
    assert tree_digest(conftest.parent) == before
