"""Copies of the corpora to migrate, and the tree fingerprints that prove nothing else changed."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.corpora import CORPUS, corpus_conftest

IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc")


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (caches aside) with the SHA-256 of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a corpus into tmp_path and return its conftest there."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(CORPUS / name, target, ignore=IGNORED)
        conftest = corpus_conftest(target)
        assert conftest is not None
        return conftest

    return copy


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
