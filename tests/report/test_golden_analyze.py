"""Golden files: ``splitter analyze --json --no-measure`` and ``splitter graph`` of every corpus.

Regenerate them all after an intended change with:

    SPLITTER_REGEN=1 pytest tests/report/test_golden_analyze.py

then review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.corpora import ROOT, corpus_params
from splitter.cli import app

GOLDEN = Path(__file__).parent.parent / "golden"
REGENERATE = os.environ.get("SPLITTER_REGEN") == "1"


def run_cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def check_golden(golden: Path, actual: str) -> None:
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert (
        golden.is_file()
    ), f"missing {golden}; run SPLITTER_REGEN=1 pytest {Path(__file__).name}"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("conftest", corpus_params())
def test_analyze_json(conftest: Path) -> None:
    relative = conftest.relative_to(ROOT).as_posix()
    check_golden(
        GOLDEN / "analyze" / f"{conftest_corpus(conftest)}.json",
        run_cli("analyze", relative, "--json", "--no-measure"),
    )


@pytest.mark.parametrize("conftest", corpus_params())
def test_graph_text(conftest: Path) -> None:
    relative = conftest.relative_to(ROOT).as_posix()
    check_golden(
        GOLDEN / "graph" / f"{conftest_corpus(conftest)}.txt",
        run_cli("graph", relative, "--no-measure"),
    )


def conftest_corpus(conftest: Path) -> str:
    """The corpus a conftest belongs to (the directory right under fixtures_corpus/)."""
    return conftest.relative_to(ROOT / "fixtures_corpus").parts[0]
