"""Ask pytest: the fixtures ``splitter analyze`` reports are the fixtures pytest registers.

For every corpus, pytest runs in a subprocess (``--collect-only``) with the tiny
``fixture_names_plugin`` from this directory, which dumps the names of the
FixtureDefs whose function the corpus's conftest module holds. Nothing is
excluded: fixtures made by unmovable statements (``globals()`` loops, ``exec``,
``setattr``) must be reported too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.corpora import corpus_params
from splitter.cli import app

PLUGIN_DIR = Path(__file__).parent


def pytest_registered_names(conftest: Path, tmp_path: Path) -> set[str]:
    """What pytest registers from ``conftest`` when it collects the corpus."""
    corpus = (
        conftest.parent.parent if conftest.parent.name == "tests" else conftest.parent
    )
    dump = tmp_path / "names.json"
    env = dict(
        os.environ,
        PYTHONPATH=str(PLUGIN_DIR),
        PYTHONDONTWRITEBYTECODE="1",
        SPLITTER_CONFTEST=str(conftest),
        SPLITTER_FIXTURE_DUMP=str(dump),
    )
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "--collect-only", "-q",
            "-p", "fixture_names_plugin", "-p", "no:cacheprovider",
            # plugins of this venv that only slow the run down
            "-p", "no:xdist", "-p", "no:hypothesispytest", "-p", "no:splitter_memory",
            # an editable install of splitter (a pytest11 plugin) can make pytest warn
            # that it cannot rewrite the install shim; corpora turn warnings into errors.
            "-W", "ignore::pytest.PytestAssertRewriteWarning",
        ],
        cwd=corpus, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert dump.is_file(), result.stdout[-2000:] + result.stderr[-2000:]
    return set(json.loads(dump.read_text()))


def splitter_names(conftest: Path) -> set[str]:
    result = CliRunner().invoke(
        app, ["analyze", str(conftest), "--json", "--no-measure"]
    )
    return {f["name"] for f in json.loads(result.stdout)["fixtures"]}


@pytest.mark.parametrize("conftest", corpus_params())
def test_same_fixture_names_as_pytest(conftest: Path, tmp_path: Path) -> None:
    assert splitter_names(conftest) == pytest_registered_names(conftest, tmp_path)
