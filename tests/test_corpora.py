"""Every corpus is a real pytest project whose own suite passes as shipped.

The corpora are what splitter is developed, tested and benchmarked against, so
a corpus whose suite fails would make every later check meaningless.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.corpora import CORPUS, corpora


@pytest.mark.parametrize("name", [name for name, _ in corpora()])
def test_corpus_suite_passes(name):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=CORPUS / name,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_monolith_is_the_size_the_tool_exists_for():
    lines = (CORPUS / "monolith" / "tests" / "conftest.py").read_text().count("\n")
    assert 1200 <= lines <= 1600
