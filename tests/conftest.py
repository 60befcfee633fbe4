"""Shared test helpers: where the corpora live and how to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpora import CORPUS

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
