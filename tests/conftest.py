"""Shared test helpers: where the corpora live and how to run the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.corpora import CORPUS, corpus_conftest

IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc")

__all__ = ["CORPUS", "cli", "run_cli"]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m splitter ARGS`` exactly as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "splitter", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        timeout=600,
    )


@pytest.fixture
def cli():
    """The real ``splitter`` CLI in a subprocess."""
    return run_cli


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
