"""Records: merging processes, the JSON round trip and the measured impact rating."""

from __future__ import annotations

import dataclasses
import json

import pytest

from splitter.memory.records import (
    CollectionFigures,
    Environment,
    FixtureStats,
    ImportCost,
    MemoryReport,
    MemoryRun,
    ProcessFigures,
    SiteCost,
    SiteKind,
    from_json,
    merge,
    merge_fixtures,
    to_json,
)
from splitter.model import Impact

ENV = Environment("3.11.7", "CPython", "Linux", 2, "9.2.0", "/p", ("-q",), 0, 24576.0)


def stats(name: str = "db", **changes: object) -> FixtureStats:
    base = FixtureStats(
        name=name,
        function=name,
        location="tests/conftest.py",
        line=10,
        scope="function",
        argnames=("tmp_path",),
        description="",
        declared_level=None,
        calls=1,
        total_mb=2.0,
        max_mb=2.0,
        max_inclusive_mb=2.0,
        total_seconds=0.5,
        max_seconds=0.5,
        modules=("sqlite3",),
    )
    return dataclasses.replace(base, **changes)


def test_merge_sums_calls_and_keeps_the_maxima_per_definition():
    a = stats(calls=2, total_mb=4.0, max_mb=3.0, modules=("b",))
    b = stats(
        calls=1,
        total_mb=10.0,
        max_mb=10.0,
        total_seconds=1.0,
        max_seconds=1.0,
        modules=("a",),
    )
    (merged,) = merge_fixtures([a, b])
    assert (merged.calls, merged.total_mb, merged.max_mb, merged.modules) == (
        3,
        14.0,
        10.0,
        ("a", "b"),
    )
    assert merged.mean_mb == pytest.approx(14 / 3) and merged.total_seconds == 1.5


def test_definitions_of_the_same_name_elsewhere_stay_apart_heaviest_first():
    merged = merge_fixtures(
        [stats(max_mb=1.0), stats(location="tests/unit/conftest.py", max_mb=9.0)]
    )
    assert [f.location for f in merged] == [
        "tests/unit/conftest.py",
        "tests/conftest.py",
    ]


@pytest.mark.parametrize(
    ("max_mb", "declared", "impact", "exceeds"),
    [
        pytest.param(0.4, None, Impact.MINIMAL, False, id="undeclared"),
        pytest.param(30.0, Impact.HIGH, Impact.HIGH, False, id="as-declared"),
        pytest.param(30.0, Impact.LOW, Impact.HIGH, True, id="over"),
        pytest.param(-3.0, Impact.MINIMAL, Impact.MINIMAL, False, id="freed-memory"),
        pytest.param(80.0, Impact.HIGH, Impact.VERY_HIGH, True, id="very-high"),
    ],
)
def test_impact_is_rated_on_the_costliest_setup(max_mb, declared, impact, exceeds):
    fixture = stats(max_mb=max_mb, declared_level=declared)
    assert (fixture.impact, fixture.exceeds_declared) == (impact, exceeds)


def full_run() -> MemoryRun:
    site = SiteCost("tests/conftest.py", SiteKind.CONFTEST, 80.0, 1.0, 2.5, 900)
    package = ImportCost(
        "pandas", False, "", 28.0, 31.0, 0.7, 305, "tests.conftest", "tests/conftest.py"
    )
    collection = CollectionFigures(
        "gw0",
        "pytest_load_initial_conftests",
        40.0,
        130.0,
        131.0,
        3.0,
        4.0,
        300,
        950,
        (site,),
        (package,),
        ("a.py",),
    )
    return MemoryRun(
        environment=ENV,
        collections=(collection,),
        fixtures=(stats(declared_level=Impact.LOW, declared_description="db"),),
        reports=(MemoryReport("gw0", "t.py::t", "start", 50.0, 0.0, 10),),
        processes=(ProcessFigures("gw0", 140.0, 150.0, 9.0),),
    )


def test_json_round_trip_is_lossless_and_plain():
    run = full_run()
    data = json.loads(json.dumps(to_json(run)))
    assert (
        data["fixtures"][0]["declared_level"] == "LOW"
        and data["collections"][0]["sites"][0]["kind"] == "conftest"
    )
    assert from_json(data) == run


def test_json_from_a_newer_plugin_ignores_unknown_keys():
    data = to_json(full_run())
    data["something_new"] = 1
    data["fixtures"][0]["future_field"] = "x"
    assert from_json(data) == full_run()


def test_merge_brings_every_process_together_and_picks_the_heaviest_collection():
    controller = MemoryRun(
        environment=ENV, processes=(ProcessFigures("controller", 60.0, 61.0, 9.0),)
    )
    worker = full_run()
    other = dataclasses.replace(
        worker,
        collections=(
            dataclasses.replace(worker.collections[0], process="gw1", peak_mb=200.0),
        ),
    )
    merged = merge(controller, [worker, other])
    assert [c.process for c in merged.collections] == ["gw0", "gw1"]
    assert merged.collection is not None and merged.collection.process == "gw1"
    assert merged.fixtures[0].calls == 2 and len(merged.reports) == 2
    assert merged.peak_mb == 150.0
