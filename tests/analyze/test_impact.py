"""impact: static signals, union of measured costs, and a real measurement with a cache."""

from __future__ import annotations

import sys
from pathlib import Path
from textwrap import dedent

import pytest

from splitter.analyze.graph import build_graph
from splitter.analyze.impact import rate_impact, resolve_module, union_megabytes
from splitter.analyze.measure import MeasureSettings, Schedule, measure_modules
from splitter.model import ImpactRating, ImportedModule, ModuleCost
from splitter.analyze.parse import parse_conftest


def rating(src: str, costs: dict[str, ModuleCost] | None = None) -> ImpactRating:
    model = parse_conftest("import pytest\n" + dedent(src))
    return rate_impact(model, build_graph(model), costs)[-1]


def static(src: str) -> tuple[str, tuple[str, ...]]:
    r = rating(src)
    return r.static_level.name, r.signals


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "@pytest.fixture\ndef a(): return 1\n", ("MINIMAL", ()), id="plain-data"
        ),
        pytest.param(
            "from unittest.mock import MagicMock\n@pytest.fixture\ndef a(): return MagicMock()\n",
            ("LOW", ("mock",)),
            id="mock",
        ),
        pytest.param(
            "@pytest.fixture\ndef a(mocker): return mocker.patch('x')\n",
            ("LOW", ("mock",)),
            id="mocker",
        ),
        pytest.param(
            "import redis\n@pytest.fixture\ndef a(): return redis.Redis()\n",
            ("MEDIUM", ("imports redis", "redis client")),
            id="redis-client",
        ),
        pytest.param(
            "from sqlalchemy import create_engine\n@pytest.fixture\ndef a(): return create_engine('sqlite://')\n",
            ("MEDIUM", ("database engine", "imports sqlalchemy")),
            id="engine",
        ),
        pytest.param(
            "from selenium import webdriver\n@pytest.fixture\ndef a(): return webdriver.Chrome()\n",
            ("VERY_HIGH", ("browser", "imports selenium")),
            id="browser",
        ),
        pytest.param(
            "import pandas as pd\n@pytest.fixture\ndef a(): return pd.DataFrame()\n",
            ("HIGH", ("imports pandas",)),
            id="known-import",
        ),
        pytest.param(
            "import subprocess\ndef start(): return subprocess.Popen(['x'])\n@pytest.fixture\ndef a(): return start()\n",
            ("HIGH", ("subprocess",)),
            id="through-helper",
        ),
        pytest.param(
            "from unittest.mock import Mock\n@pytest.fixture\ndef b(): return Mock()\n@pytest.fixture\ndef a(b): return b\n",
            ("LOW", ("mock",)),
            id="through-requested-fixture",
        ),
    ],
)
def test_static_level(src: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert static(src) == expected


def cost(module: str, megabytes: float, *loads: str) -> ModuleCost:
    return ModuleCost(module, megabytes, 0.1, loads=(module.split(".")[0], *loads))


@pytest.mark.parametrize(
    ("modules", "costs", "expected"),
    [
        pytest.param(
            ["a", "b"], [cost("a", 10), cost("b", 5)], 15.0, id="independent-sum"
        ),
        pytest.param(
            ["fastapi", "pydantic"],
            [cost("fastapi", 30, "pydantic"), cost("pydantic", 12)],
            30.0,
            id="subsumed",
        ),
        pytest.param(
            ["pkg", "pkg.sub"],
            [cost("pkg", 3), cost("pkg.sub", 8)],
            8.0,
            id="same-package-max",
        ),
        pytest.param(
            ["pandas", "wrapper"],
            [cost("pandas", 46.7, "numpy"), cost("wrapper", 46.6, "pandas", "numpy")],
            46.7,
            id="wrapper-of-a-counted-package",
        ),
        pytest.param([], [], 0.0, id="nothing"),
        pytest.param(
            ["gone"],
            [ModuleCost("gone", None, None, error="ModuleNotFoundError")],
            None,
            id="unmeasurable",
        ),
    ],
)
def test_union_of_measured_costs(
    modules: list[str], costs: list[ModuleCost], expected: float | None
) -> None:
    assert union_megabytes(modules, {c.module: c for c in costs}) == expected


def test_measured_level_is_raised_by_what_the_closure_builds() -> None:
    src = (
        "import subprocess\n@pytest.fixture\ndef a(): return subprocess.Popen(['x'])\n"
    )
    r = rating(
        src, {"subprocess": cost("subprocess", 0.5), "pytest": cost("pytest", 0.0)}
    )
    assert (r.level.name, r.measured_mb, r.static_level.name) == ("HIGH", 0.5, "HIGH")


def test_type_checking_imports_cost_nothing() -> None:
    src = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pandas\n@pytest.fixture\ndef a() -> 'pandas.DataFrame': ...\n"
    assert "pandas" not in rating(src).modules


@pytest.mark.parametrize(
    ("imported", "package", "expected"),
    [
        pytest.param(ImportedModule("a.b"), None, "a.b", id="absolute"),
        pytest.param(
            ImportedModule("helpers", level=1), "tests", "tests.helpers", id="relative"
        ),
        pytest.param(
            ImportedModule("", level=1), "tests.unit", "tests.unit", id="package-itself"
        ),
        pytest.param(
            ImportedModule("x", level=2), "tests.unit", "tests.x", id="parent"
        ),
        pytest.param(ImportedModule("x", level=1), None, None, id="no-package"),
    ],
)
def test_resolve_module(
    imported: ImportedModule, package: str | None, expected: str | None
) -> None:
    assert resolve_module(imported, package) == expected


def test_measures_real_imports_and_caches_them(tmp_path: Path) -> None:
    settings = MeasureSettings(
        rootdir=tmp_path, interpreter=sys.executable, cache_dir=tmp_path / "cache"
    )
    first = measure_modules(["json", "pandas"], settings)
    second = measure_modules(["json", "pandas"], settings)
    assert (first["json"].megabytes or 0) < (first["pandas"].megabytes or 0)
    assert (
        first["pandas"].cached,
        second["pandas"].cached,
        second["pandas"].megabytes,
    ) == (False, True, first["pandas"].megabytes)


def test_unimportable_module_is_an_error_not_a_crash(tmp_path: Path) -> None:
    settings = MeasureSettings(rootdir=tmp_path, cache_dir=tmp_path / "cache")
    assert "ModuleNotFoundError" in (
        measure_modules(["no_such_module_xyz"], settings)["no_such_module_xyz"].error
        or ""
    )


def test_project_local_modules_import_from_the_rootdir(tmp_path: Path) -> None:
    (tmp_path / "localpkg.py").write_text("DATA = list(range(10))\n")
    settings = MeasureSettings(rootdir=tmp_path, cache_dir=tmp_path / "cache")
    assert measure_modules(["localpkg"], settings)["localpkg"].error is None


@pytest.mark.parametrize(
    "modules",
    [
        pytest.param(["numpy"], id="package"),
        pytest.param(["numpy.random", "numpy.linalg"], id="submodules-forked-after-their-package"),
    ],
)
def test_forked_children_measure_what_fresh_interpreters_measure(
    tmp_path: Path, modules: list[str]
) -> None:
    def megabytes(fork: bool) -> list[float | None]:
        settings = MeasureSettings(
            rootdir=tmp_path, cache_dir=tmp_path / f"cache-{fork}", fork=fork
        )
        costs = measure_modules(modules, settings)
        return [costs[m].megabytes for m in modules]

    for forked, fresh in zip(megabytes(True), megabytes(False)):
        assert forked is not None and fresh is not None and fresh > 5
        assert abs(forked - fresh) <= 1.0


@pytest.mark.parametrize("package", ["", "pkg."], ids=["modules", "submodules"])
def test_a_module_that_ends_or_hangs_the_interpreter_does_not_stop_the_others(
    tmp_path: Path, package: str
) -> None:
    folder = tmp_path / package.rstrip(".")
    folder.mkdir(exist_ok=True)
    (folder / "__init__.py").write_text("")
    (folder / "ends.py").write_text("import os\nos._exit(3)\n")
    (folder / "hangs.py").write_text("import time\ntime.sleep(600)\n")
    (folder / "fine.py").write_text("DATA = list(range(10))\n")
    settings = MeasureSettings(
        rootdir=tmp_path, cache_dir=tmp_path / "cache", jobs=1, timeout=3.0
    )
    modules = [package + name for name in ("ends", "hangs", "fine")]
    costs = measure_modules(modules, settings)
    assert [costs[m].error for m in modules] == [
        "the import ended the interpreter or timed out",
        "the import ended the interpreter or timed out",
        None,
    ]


def test_a_worker_keeps_to_its_package_unless_importing_it_again_is_cheap() -> None:
    schedule = Schedule(["app.db", "app.api", "app", "pandas", "pandas.testing", "json"])
    assert [schedule.take(0), schedule.take(1), schedule.take(1)] == ["app", "pandas", "pandas.testing"]
    assert schedule.take(1) == "json"
    assert schedule.take(1) is None  # app is not known to be cheap yet
    schedule.imported(ModuleCost("app", 0.2, 0.01, ("app",)))
    # a helper takes from the back, the owner from the front: each keeps to its own holders
    assert [schedule.take(1), schedule.take(0), schedule.take(0)] == ["app.db", "app.api", None]


def test_subpackages_held_in_turn_measure_what_fresh_interpreters_measure(tmp_path: Path) -> None:
    """``pkg.sub.a`` and ``pkg.sub.b`` are forked after ``pkg.sub``, held once for both; a module
    of a subpackage whose import fails fails the same way; a module the package's import loaded
    costs what the package costs. Every figure as a fresh interpreter measures it."""
    pkg = tmp_path / "pkg"
    for folder in (pkg, pkg / "sub", pkg / "broken"):
        folder.mkdir()
    (pkg / "__init__.py").write_text("from . import eager\n")
    (pkg / "eager.py").write_text("BLOCK = bytearray(3 * 2**20)\n")
    (pkg / "sub" / "__init__.py").write_text("BLOCK = bytearray(8 * 2**20)\n")
    (pkg / "sub" / "a.py").write_text("BLOCK = bytearray(2 * 2**20)\n")
    (pkg / "sub" / "b.py").write_text("BLOCK = bytearray(4 * 2**20)\n")
    (pkg / "broken" / "__init__.py").write_text("raise RuntimeError('no')\n")
    (pkg / "broken" / "x.py").write_text("")
    modules = ["pkg", "pkg.sub.a", "pkg.broken.x", "pkg.eager", "pkg.sub.b", "pkg.sub"]

    def measured(fork: bool) -> dict[str, tuple[float | None, str | None]]:
        settings = MeasureSettings(rootdir=tmp_path, cache_dir=tmp_path / f"cache-{fork}", fork=fork, jobs=1)
        return {m: (c.megabytes, c.error) for m, c in measure_modules(modules, settings).items()}

    forked, fresh = measured(True), measured(False)
    assert forked["pkg.broken.x"][1] is not None and "RuntimeError" in forked["pkg.broken.x"][1]
    assert fresh["pkg.broken.x"][1] is not None and "RuntimeError" in fresh["pkg.broken.x"][1]
    for module in ("pkg", "pkg.eager", "pkg.sub", "pkg.sub.a", "pkg.sub.b"):
        (mine, error), (theirs, _) = forked[module], fresh[module]
        assert error is None and mine is not None and theirs is not None
        assert abs(mine - theirs) <= 1.0, (module, mine, theirs)
    assert forked["pkg.sub.b"][0] > forked["pkg.sub.a"][0] > forked["pkg.sub"][0] > forked["pkg"][0] >= 3
