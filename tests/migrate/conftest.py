"""Copies of the corpora to migrate, and the tree fingerprints that prove nothing else changed."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

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
