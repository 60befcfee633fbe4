"""analyze's per-file estimate against what migrate then removes, measured with real pytest runs.

On wild_env_app the conftest sets sys.path and four environment variables before it
imports the app: measured after replaying them, the app is heavy, the `app` fixture
loads lazily, and the estimate for a test file that needs no heavy fixture matches a
real `pytest --collect-only tests/test_light.py` before and after `splitter migrate`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").is_file() else None)


def splitter(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "splitter", *args],
        cwd=cwd,
        env={**os.environ, "SPLITTER_CACHE_DIR": str(cache), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=600,
    )


def collect_peak_mb(root: Path, test_file: str) -> float:
    """Peak RSS (MB) of ``pytest --collect-only`` of one file, as /usr/bin/time reports it (lowest of two)."""
    assert TIME is not None
    peaks = []
    for _ in range(2):
        done = subprocess.run(
            [TIME, "-f", "%M", sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", test_file],
            cwd=root,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    return min(peaks)


@pytest.mark.skipif(TIME is None or sys.platform != "linux", reason="needs GNU time on Linux")
def test_the_per_file_estimate_matches_what_migrate_removes(
    corpus_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    conftest = corpus_copy("wild_env_app")
    root = conftest.parent.parent
    cache = tmp_path / "cache"
    analyzed = splitter("analyze", "tests/conftest.py", "--json", cwd=root, cache=cache)
    assert analyzed.returncode == 0, analyzed.stderr
    document = json.loads(analyzed.stdout)
    app = next(f for f in document["fixtures"] if f["name"] == "app")
    assert app["impact"]["level"] in ("HIGH", "VERY_HIGH")
    assert app["planned_module"]["loads"] == "lazy"
    estimate = document["saving_estimate"]
    assert estimate["worth_it"] and not estimate["lower_bound"]
    assert [d["module"] for d in estimate["deferred"]] == ["envapp.app"]
    assert {s["name"] for s in estimate["replayed"]} >= {"ENVAPP_ENV", "ENVAPP_DATABASE_URL", "ENVAPP_SECRET_KEY", "ENVAPP_REGION"}
    light = estimate["light_file"]

    before = collect_peak_mb(root, "tests/test_light.py")
    migrated = splitter("migrate", "tests/conftest.py", "--yes", "--json", cwd=root, cache=cache)
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    after = collect_peak_mb(root, "tests/test_light.py")

    # migrate measured the same file on its own, before and after (its cost table's last row)
    measured = json.loads(migrated.stdout)["measurements"]
    own = [next(m for m in measured[side] if m["label"] == "collect tests/test_light.py") for side in ("before", "after")]
    mine = [m["peak_rss_bytes"] / 2**20 for m in own]
    assert abs(mine[0] - before) <= max(0.2 * before, 5.0) and abs(mine[1] - after) <= max(0.2 * after, 5.0), (mine, before, after)

    removed = before - after
    assert abs(light["saving_mb"] - removed) <= max(0.2 * removed, 5.0), (light, before, after)
    assert abs(light["before_mb"] - before) <= max(0.2 * before, 5.0), (light, before)
    assert abs(light["after_mb"] - after) <= max(0.2 * after, 5.0), (light, after)


@pytest.mark.skipif(TIME is None or sys.platform != "linux", reason="needs GNU time on Linux")
@pytest.mark.parametrize(
    ("corpus", "conftest_path", "light"),
    [
        pytest.param("wild_plugin_loads_heavy", "tests/conftest.py", "tests/test_light.py", id="pytest_plugins"),
        pytest.param("wild_package_init_heavy", "conftest.py", "test_light.py", id="package-init"),
    ],
)
def test_what_collecting_loads_split_or_not_is_never_counted_as_saved(
    corpus_copy: Callable[[str], Path], tmp_path: Path, corpus: str, conftest_path: str, light: str
) -> None:
    """poetry's idiom (a pytest_plugins module imports numpy as the conftest does) and sqlmesh's
    (the conftest's package imports it first): collecting the light file costs the same after
    the split, and analyze says so."""
    conftest = corpus_copy(corpus)
    root = conftest.parent.parent if conftest.parent.name == "tests" else conftest.parent
    cache = tmp_path / "cache"
    analyzed = splitter("analyze", conftest_path, "--json", cwd=root, cache=cache)
    assert analyzed.returncode == 0, analyzed.stderr
    estimate = json.loads(analyzed.stdout)["saving_estimate"]
    assert not estimate["worth_it"] and not estimate["unmeasured"]

    before = collect_peak_mb(root, light)
    migrated = splitter("migrate", conftest_path, "--yes", cwd=root, cache=cache)
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    removed = before - collect_peak_mb(root, light)
    assert abs(estimate["light_file"]["saving_mb"] - removed) <= max(0.2 * abs(removed), 5.0), (estimate, removed)


@pytest.mark.skipif(TIME is None or sys.platform != "linux", reason="needs GNU time on Linux")
def test_a_submodule_imported_by_name_is_measured_and_the_per_file_figure_is_measured_in_pytest(
    corpus_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """jupyterhub's idiom (``from .. import orm``): ``from ledger import models`` loads
    ``ledger.models``, which analyze once never measured (it estimated 49 → 49 MB here)."""
    conftest = corpus_copy("wild_submodule_import")
    root = conftest.parent.parent
    cache = tmp_path / "cache"
    analyzed = splitter("analyze", "tests/conftest.py", "--json", cwd=root, cache=cache)
    assert analyzed.returncode == 0, analyzed.stderr
    document = json.loads(analyzed.stdout)
    total = next(f for f in document["fixtures"] if f["name"] == "ledger_total")
    assert total["planned_module"]["loads"] == "lazy"
    estimate = document["saving_estimate"]
    assert [d["module"] for d in estimate["deferred"]] == ["ledger.models"]
    light = estimate["light_file"]
    assert light["measured"] is True

    before = collect_peak_mb(root, "tests/test_light.py")
    migrated = splitter("migrate", "tests/conftest.py", "--yes", cwd=root, cache=cache)
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    after = collect_peak_mb(root, "tests/test_light.py")
    removed = before - after
    assert removed >= 30, (before, after)
    assert abs(light["saving_mb"] - removed) <= max(0.2 * removed, 5.0), (light, before, after)
    assert abs(light["before_mb"] - before) <= max(0.2 * before, 5.0), (light, before)


def test_the_collection_before_the_split_starts_with_the_analysis_and_the_estimate_takes_it_over(
    corpus_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    """The per-file figure's "before" run needs no plan: analyze starts it while measuring ends,
    and the estimate waits for that run instead of starting a second one."""
    from splitter.analyze import floor
    from splitter.analyze.analysis import AnalyzeSettings, analyze_file
    from splitter.migrate.planning import plan_conftest, saving_estimate

    conftest = corpus_copy("wild_env_app")
    cache = tmp_path / "cache"
    analysis = analyze_file(conftest, AnalyzeSettings(cache_dir=cache, subset=True))
    started = list(floor._STARTED.values())
    assert len(started) == 1
    estimate = saving_estimate(conftest, analysis, plan_conftest(conftest, analysis), sys.executable, cache)
    assert floor._STARTED == {}
    assert estimate is not None and estimate.light_file is not None and estimate.light_file.measured
    assert started[0].done() and started[0].result() is not None
    # remembered: a second analysis starts nothing
    analyze_file(conftest, AnalyzeSettings(cache_dir=cache, subset=True))
    assert floor._STARTED == {}
