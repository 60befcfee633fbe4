"""The tree fingerprints that prove nothing else changed (corpus copies: ``corpus_copy`` in tests/conftest.py)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.conftest import IGNORED, run_cli
from tests.corpora import CORPUS


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (caches aside) with the SHA-256 of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }


@pytest.fixture(scope="module")
def migrated_monolith(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The monolith corpus, migrated once (unverified: the migrate tests verify it)."""
    root = tmp_path_factory.mktemp("migrated") / "monolith"
    shutil.copytree(CORPUS / "monolith", root, ignore=IGNORED)
    done = run_cli("migrate", str(root / "tests" / "conftest.py"), "--yes", "--no-verify", "--no-measure")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def split_monolith(migrated_monolith: Path, tmp_path: Path) -> Path:
    """A fresh copy of the migrated monolith (its rootdir)."""
    root = tmp_path / "monolith"
    shutil.copytree(migrated_monolith, root, ignore=IGNORED)
    return root
