"""Is a split worth it? What tests import and request, the estimate, and the CLI's verdict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from splitter.analyze.graph import build_graph
from splitter.analyze.impact import chains, rate_impact
from splitter.analyze.parse import parse_conftest
from splitter.analyze.saving import CollectionLoad, collection_imports, estimate_saving
from splitter.analyze.usage import FileUsage, file_usage
from splitter.model import Analysis, ModuleCost, SavingEstimate, Subset
from tests.corpora import CORPUS


@pytest.mark.parametrize(
    ("source", "package", "expected"),
    [
        pytest.param(
            "import pandas as pd\nfrom app.db import Session\ndef test_a(): import yaml\n",
            None,
            FileUsage(frozenset({"pandas", "app.db"}), frozenset({"yaml"}), frozenset()),
            id="collected-and-deferred",
        ),
        pytest.param(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pandas\n",
            None,
            FileUsage(frozenset({"typing"}), frozenset(), frozenset()),
            id="type-checking-left-out",
        ),
        pytest.param(
            "from .helpers import make\nfrom . import data\n",
            "tests.unit",
            FileUsage(frozenset({"tests.unit.helpers", "tests.unit"}), frozenset(), frozenset()),
            id="relative",
        ),
        pytest.param(
            dedent(
                """
                import pytest
                pytestmark = pytest.mark.usefixtures("db")
                class TestA:
                    def test_a(self, client, *, user=None):
                        request.getfixturevalue("browser")
                """
            ),
            None,
            FileUsage(
                frozenset({"pytest"}),
                frozenset(),
                frozenset({"db", "self", "client", "user", "browser"}),
            ),
            id="requested",
        ),
        pytest.param(
            dedent(
                """
                try:
                    import ujson
                except ImportError:
                    import json
                class TestB:
                    with_db = True
                    async def test_b(self, loop):
                        with open(__file__):
                            import yaml
                if TYPE_CHECKING:
                    import pandas
                else:
                    import csv
                """
            ),
            None,
            FileUsage(frozenset({"ujson", "json", "csv"}), frozenset({"yaml"}), frozenset({"self", "loop"})),
            id="nested-blocks-async-and-else",
        ),
        pytest.param("def broken(:\n", None, None, id="syntax-error"),
    ],
)
def test_file_usage(source: str, package: str | None, expected: FileUsage | None) -> None:
    assert file_usage(source, package) == expected


CONFTEST = """
import pytest
import heavy
import light

@pytest.fixture
def engine():
    return heavy.Engine()

@pytest.fixture
def name():
    return light.NAME
"""
COSTS = (
    ModuleCost("heavy", 60.0, 1.0, ("heavy",)),
    ModuleCost("light", 2.0, 0.1, ("light",)),
    ModuleCost("pytest", 0.0, 0.0, ()),
)


def estimate(tests_import: tuple[str, ...], requested: tuple[str, ...]) -> SavingEstimate | None:
    model = parse_conftest(CONFTEST)
    graph = build_graph(model)
    costs = {c.module: c for c in COSTS}
    ratings = rate_impact(model, graph, costs)
    analysis = Analysis(
        model,
        graph,
        ratings,
        COSTS,
        chains(graph, ratings),
        measured=True,
        subset=Subset("tests", 2, tests_import, (), requested, ()),
    )
    kept = frozenset(d.index for d in model.definitions if "name" in d.names)  # an eager module
    return estimate_saving(analysis, CollectionLoad(root=frozenset(), eager=kept))


def test_the_conftest_alone_brings_in_what_a_split_saves() -> None:
    found = estimate(("light",), ("name",))
    assert found is not None
    assert (found.collection_mb, found.collection_saving_mb, found.run_saving_mb) == (62.0, 60.0, 60.0)
    assert found.worth_it


def test_a_requested_heavy_fixture_is_paid_for_when_the_tests_run() -> None:
    found = estimate(("light",), ("engine",))
    assert found is not None
    assert (found.collection_saving_mb, found.run_saving_mb) == (60.0, 0.0)


def test_tests_that_import_the_heavy_library_themselves_leave_little_to_gain() -> None:
    found = estimate(("heavy",), ())
    assert found is not None
    assert (found.collection_saving_mb, found.worth_it) == (0.0, False)


EAGER = """
import pytest
import pandas as pd
import numpy as np
import yaml

@pytest.fixture
def frame():
    return pd.DataFrame()

@pytest.mark.parametrize("value", [np.nan])
@pytest.fixture
def value():
    return 1

@pytest.fixture
def config():
    return yaml.safe_load("a: 1")
"""


@pytest.mark.parametrize(
    ("heavy", "expected"),
    [
        pytest.param(frozenset({"pandas", "numpy"}), ("numpy", "pytest", "yaml"), id="body-only-heavy-deferred"),
        pytest.param(frozenset(), ("numpy", "pandas", "pytest", "yaml"), id="nothing-heavy"),
    ],
)
def test_an_eager_module_keeps_only_what_runs_at_import(heavy: frozenset[str], expected: tuple[str, ...]) -> None:
    """0.2.0's tiers: a heavy import only function bodies read moves into them (render/localize.py);
    one a decorator reads stays at the top; light imports stay where they are."""
    model = parse_conftest(EAGER)
    eager = frozenset(d.index for d in model.definitions if d.fixtures)
    assert collection_imports(model.definitions, CollectionLoad(frozenset(), eager, heavy), None) == expected


def test_the_root_conftest_keeps_everything_it_reads() -> None:
    model = parse_conftest(EAGER)
    root = frozenset(d.index for d in model.definitions if d.fixtures)
    load = CollectionLoad(root=root, heavy=frozenset({"pandas", "numpy"}))
    assert collection_imports(model.definitions, load, None) == ("numpy", "pandas", "pytest", "yaml")


def analyze(corpus: str, cache: Path, *options: str) -> str:
    """``python -m splitter analyze`` on a corpus's conftest, as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "splitter", "analyze", "tests/conftest.py", *options],
        cwd=CORPUS / corpus,
        env={**os.environ, "SPLITTER_CACHE_DIR": str(cache), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_a_library_suite_has_little_to_gain_and_says_where_figures_come_from(
    tmp_path: Path,
) -> None:
    first = analyze("library_suite", tmp_path)
    second = analyze("library_suite", tmp_path)
    assert "little to gain (the tests import the heavy libraries themselves)" in first
    assert "measured now" in first and "all from the cache of an earlier run" in second


def test_an_application_suite_is_worth_splitting(tmp_path: Path) -> None:
    document = json.loads(analyze("optional_imports", tmp_path, "--json"))
    found = document["saving_estimate"]
    assert (found["subset"], found["worth_it"]) == ("tests", True)
    assert 0 < found["collection_saving_mb"] <= found["collection_mb"]
    assert document["from_cache"]["cached"] == 0
