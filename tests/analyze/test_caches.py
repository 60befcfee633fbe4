"""What ``analyze`` remembers between runs (the parse, the tests' usage and imports of
the conftest, the interpreter probe): the same answer as a cold run, never a stale
one, and a damaged cache is a miss, not a crash. The CLI runs as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from splitter.analyze.analysis import AnalyzeSettings, analyze_file
from splitter.analyze.cache import RESULTS_DIR, ResultCache
from splitter.analyze.measure import EarlyMeasurement, MeasureSettings, Probe, measure_modules
from splitter.migrate.planning import plan_conftest

FIXTURE = '''

@pytest.fixture
def added_fixture():
    import csv
    return csv
'''


def analyze(conftest: Path, cache: Path) -> dict[str, Any]:
    """``splitter analyze --json`` in a fresh interpreter, from the project's folder."""
    done = subprocess.run(
        [sys.executable, "-m", "splitter", "analyze", "--json", str(conftest)],
        cwd=conftest.parents[1],
        env={**os.environ, "SPLITTER_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def as_measured(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what says where the figures came from."""
    text = json.dumps({k: v for k, v in document.items() if k != "from_cache"})
    return json.loads(text.replace('"cached": true', '"cached": false'))  # type: ignore[no-any-return]


@pytest.fixture
def project(corpus_copy: Callable[[str], Path]) -> Path:
    return corpus_copy("optional_imports")


def test_a_warm_run_gives_the_cold_answer_and_says_it_comes_from_the_cache(project: Path, tmp_path: Path) -> None:
    cold = analyze(project, tmp_path / "cache")
    warm = analyze(project, tmp_path / "cache")
    count = cold["from_cache"]["modules"]
    assert (cold["from_cache"], warm["from_cache"]) == ({"modules": count, "cached": 0}, {"modules": count, "cached": count})
    assert as_measured(warm) == as_measured(cold)
    kinds = {p.name.split("-")[0] for p in (tmp_path / "cache" / RESULTS_DIR).iterdir()}
    # no test file mentions the conftest here; "light": the measured per-file figure (light-file-*)
    assert kinds == {"parse", "usage", "interpreter", "floor", "light"}
    assert warm["saving_estimate"]["light_file"] == cold["saving_estimate"]["light_file"]
    assert cold["saving_estimate"]["light_file"]["measured"] is True  # its optional imports are missing: no failure


def test_damaged_cache_files_are_misses(project: Path, tmp_path: Path) -> None:
    cold = analyze(project, tmp_path / "cache")
    for index, stored in enumerate(sorted((tmp_path / "cache" / RESULTS_DIR).iterdir())):
        stored.write_bytes(b"\x80\x05garbage" if index % 2 else stored.read_bytes()[:100])
    again = analyze(project, tmp_path / "cache")
    assert again["saving_estimate"]["light_file"]["floor_mb"] > 0  # the floor: measured again
    assert without_floor(again) == without_floor(cold)


def without_floor(document: dict[str, Any]) -> dict[str, Any]:
    """The document without the per-file figures, which a floor measured again changes a little."""
    found = as_measured(document)
    found["saving_estimate"].pop("light_file")
    return found


def fixture_names(document: dict[str, Any]) -> set[str]:
    return {f["name"] for f in document["fixtures"]}


def test_an_edit_to_the_conftest_is_seen(project: Path, tmp_path: Path) -> None:
    before = analyze(project, tmp_path / "cache")
    project.write_text(project.read_text() + FIXTURE)
    after = analyze(project, tmp_path / "cache")
    assert fixture_names(after) - fixture_names(before) == {"added_fixture"}
    assert "csv" in {m["module"] for m in after["modules"]}


def test_a_settings_edit_is_seen(project: Path, tmp_path: Path) -> None:
    def module_of(document: dict[str, Any], name: str) -> str:
        return next(f["planned_module"]["module"] for f in document["fixtures"] if f["name"] == name)

    before = analyze(project, tmp_path / "cache")
    (project.parents[1] / "pyproject.toml").write_text('[tool.splitter.pin]\narray_factory = "base"\n')
    after = analyze(project, tmp_path / "cache")
    assert (module_of(before, "array_factory"), module_of(after, "array_factory")) == (
        "conftest_services.py",
        "conftest_base.py",
    )


def test_edits_to_test_files_are_seen(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPLITTER_CACHE_DIR", str(tmp_path / "cache"))
    settings = AnalyzeSettings(cache_dir=tmp_path / "cache", subset=True)
    first = analyze_file(project, settings)
    assert first.subset is not None and "decimal" not in first.subset.collected
    assert "HAS_NUMPY" not in plan_conftest(project, first).test_imports
    (project.parent / "test_new.py").write_text(
        "import decimal\nfrom tests.conftest import HAS_NUMPY\n\ndef test_it(array_factory):\n    assert HAS_NUMPY\n"
    )
    second = analyze_file(project, settings)
    assert second.subset is not None and "decimal" in second.subset.collected
    assert second.subset.files == first.subset.files + 1
    assert "HAS_NUMPY" in plan_conftest(project, second).test_imports


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare virtual environment: another interpreter, whose packages a test can change."""
    folder = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    return folder / "bin" / "python"


def test_the_probe_is_remembered_per_interpreter_until_its_packages_change(tmp_path: Path, venv: Path) -> None:
    def probe(interpreter: Path | str) -> Probe:
        return Probe(MeasureSettings(rootdir=tmp_path, interpreter=str(interpreter), cache_dir=tmp_path / "cache"))

    first = probe(venv)
    answer = first.result()
    again, other = probe(venv), probe(sys.executable)
    assert (first.process is not None, again.process is None, other.process is not None) == (True, True, True)
    assert again.result() == answer and other.result().prefix != answer.prefix
    assert probe(sys.executable).process is None
    site = next(venv.parents[1].glob("lib/python*/site-packages"))
    metadata = site / "splitter_fake_dist-1.0.dist-info"
    metadata.mkdir()
    (metadata / "METADATA").write_text("Metadata-Version: 2.1\nName: splitter-fake-dist\nVersion: 1.0\n")
    (metadata / "top_level.txt").write_text("splitter_fake_dist\n")
    installed = probe(venv)
    assert installed.process is not None
    assert installed.result().versions.get("splitter-fake-dist") == "1.0"


def test_modules_the_baseline_loaded_cost_nothing_either_way(tmp_path: Path) -> None:
    def megabytes(fork: bool) -> list[float | None]:
        settings = MeasureSettings(rootdir=tmp_path, cache_dir=tmp_path / f"cache-{fork}", fork=fork)
        costs = measure_modules(["os", "re", "pytest"], settings)
        return [costs[m].megabytes for m in ("os", "re", "pytest")]

    assert megabytes(True) == [0.0, 0.0, 0.0]
    assert all(fresh is not None and fresh <= 0.3 for fresh in megabytes(False))


def test_result_files_are_written_whole(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "parse")
    cache.put(["key"], {"value": 1})
    assert (cache.get(["key"]), cache.get(["other"])) == ({"value": 1}, None)
    assert [p.name.startswith("parse-") for p in (tmp_path / RESULTS_DIR).iterdir()] == [True]


def test_an_early_measurement_stops_when_cancelled_and_the_rest_is_measured_after(tmp_path: Path) -> None:
    settings = MeasureSettings(rootdir=tmp_path, cache_dir=tmp_path / "cache", jobs=1)
    early = EarlyMeasurement(["numpy", "numpy.random", "yaml"], settings, Probe(settings), None)
    early.cancel()
    assert set(early.costs()) < {"numpy", "numpy.random", "yaml"}  # stopped after the module in hand
    resumed = EarlyMeasurement(["json"], settings, Probe(settings), None)
    costs = measure_modules(["json", "yaml"], settings, Probe(settings), None, resumed)
    assert (costs["json"].megabytes, costs["yaml"].error) == (0.0, None)
