"""The pytest plugin on real pytest runs: the table, the JSON, what is attributed where."""

from __future__ import annotations

import json

import pytest

from tests.memory.support import QUIET, allocate, fixture_record


def test_off_by_default_prints_nothing_writes_nothing_and_loads_nothing(project):
    project.makepyfile("""
        import builtins, sys

        def test_plugin_is_idle(request):
            assert request.config.pluginmanager.has_plugin("splitter_memory")
            loaded = {m for m in sys.modules if m.startswith("splitter")}
            assert loaded == {"splitter", "splitter.memory", "splitter.memory.plugin"}, loaded
            assert builtins.__import__.__module__ == "builtins"
        """)
    result = project.runpytest_subprocess(*QUIET)
    result.assert_outcomes(passed=1)
    assert "fixture memory" not in result.stdout.str()
    assert not list(project.path.glob("*.json"))


def test_table_lists_each_fixture_with_calls_and_impact(measure, project):
    project.makeconftest(f"""
        import pytest

        @pytest.fixture(scope="session")
        def thirty_mb():
            '''Thirty megabytes, once per session.'''
            return {allocate(30)}

        @pytest.fixture
        def small():
            return 1
        """)
    project.makepyfile(
        "def test_a(thirty_mb, small): pass\ndef test_b(thirty_mb, small): pass\n"
    )
    result, data = measure()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*= fixture memory (splitter) =*",
            "*fixture*scope*calls*mean MB*max MB*total s*impact*declared*",
            "*thirty_mb*session*1*HIGH*",
            "*small*function*2*MINIMAL*",
            "fixture memory JSON written to *memory.json",
        ]
    )
    big = fixture_record(data, "thirty_mb")
    assert 28 <= big["max_mb"] <= 40, big
    assert big["description"] == "Thirty megabytes, once per session."
    assert big["location"] == "conftest.py" and big["scope"] == "session"
    assert fixture_record(data, "small")["calls"] == 2


def test_delta_is_charged_to_the_fixture_that_allocates_not_to_its_users(
    measure, project
):
    project.makeconftest(f"""
        import pytest

        @pytest.fixture
        def heavy():
            return {allocate(30)}

        @pytest.fixture
        def user(heavy, request):
            extra = request.getfixturevalue("nested")
            return len(heavy) + len(extra)

        @pytest.fixture
        def nested():
            return {allocate(12)}
        """)
    project.makepyfile("def test_it(user): pass\n")
    _, data = measure()
    heavy, user, nested = (fixture_record(data, n) for n in ("heavy", "user", "nested"))
    assert heavy["max_mb"] >= 28
    assert nested["max_mb"] >= 10
    assert abs(user["max_mb"]) < 3, "dependencies and getfixturevalue are subtracted"
    assert user["max_inclusive_mb"] >= 10, "the inclusive figure keeps the nested setup"
    assert user["argnames"] == ["heavy", "request"]


def test_modules_newly_imported_during_a_setup_are_recorded(measure, project):
    project.makepyfile(heavy_dependency=f"PAYLOAD = {allocate(20)}\n")
    project.makeconftest("""
        import pytest

        @pytest.fixture
        def loads_a_module():
            import heavy_dependency
            return heavy_dependency.PAYLOAD
        """)
    project.makepyfile("def test_it(loads_a_module): pass\n")
    _, data = measure()
    record = fixture_record(data, "loads_a_module")
    assert "heavy_dependency" in record["modules"]
    assert record["max_mb"] >= 18


def test_memory_reporter_reports_appear_in_the_summary_and_the_json(measure, project):
    project.makepyfile(never_imported_before="VALUE = 1\n")
    project.makepyfile(f"""
        def test_points(memory_reporter):
            memory_reporter.report("start")
            import never_imported_before
            data = {allocate(20)}
            second = memory_reporter.report("after 20 MB")
            assert second.delta_mb >= 18
            assert "never_imported_before" in memory_reporter.get_loaded_modules()
            assert "pytest" not in memory_reporter.get_loaded_modules()
        """)
    result, data = measure()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "memory reports:",
            "*test*label*RSS MB*delta MB*",
            "*test_points*start*",
            "*test_points*after 20 MB*+*",
        ]
    )
    labels = [r["label"] for r in data["reports"]]
    assert labels == ["start", "after 20 MB"]


def test_memory_reporter_works_without_fixture_memory(project):
    project.makepyfile("""
        def test_points(memory_reporter):
            memory_reporter.report("only point")
        """)
    result = project.runpytest_subprocess(*QUIET)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["memory reports:", "*test_points*only point*"])
    assert "fixtures:" not in result.stdout.str()


@pytest.mark.parametrize(
    "decorators",
    [
        pytest.param(
            '@memory_profile("tiny, says the author", "MINIMAL")\n@pytest.fixture',
            id="above",
        ),
        pytest.param(
            '@pytest.fixture\n@memory_profile("tiny, says the author", Impact.MINIMAL)',
            id="below",
        ),
        pytest.param(
            '@memory_profile("tiny, says the author", "low")\n@pytest.fixture(scope="module")',
            id="call",
        ),
    ],
)
def test_memory_profile_flags_fixtures_heavier_than_declared(
    measure, project, decorators
):
    project.makeconftest(f"""
        import pytest
        from splitter.memory import memory_profile
        from splitter.model import Impact

        {decorators.replace(chr(10), chr(10) + "        ")}
        def liar():
            return {allocate(12)}

        @pytest.fixture
        @memory_profile("honest", "HIGH")
        def honest():
            return {allocate(12)}
        """)
    project.makepyfile("def test_it(liar, honest): pass\n")
    result, data = measure()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*liar*MEDIUM*(!)*",
            "*! liar (conftest.py:*) measured MEDIUM*tiny, says the author",
        ]
    )
    assert "! honest" not in result.stdout.str()
    liar = fixture_record(data, "liar")
    assert liar["declared_level"] in ("MINIMAL", "LOW")
    assert liar["declared_description"] == "tiny, says the author"
    assert fixture_record(data, "honest")["declared_level"] == "HIGH"


def test_a_failing_fixture_is_still_measured_and_the_run_reports_it(measure, project):
    project.makeconftest("""
        import pytest

        @pytest.fixture
        def broken():
            raise RuntimeError("no database")
        """)
    project.makepyfile("def test_it(broken): pass\n")
    result, data = measure()
    result.assert_outcomes(errors=1)
    assert fixture_record(data, "broken")["calls"] == 1
    assert data["outcomes"]["errors"] == 1


def test_json_alone_implies_measuring(project):
    project.makepyfile("def test_it(tmp_path): pass\n")
    result = project.runpytest_subprocess(*QUIET, "--fixture-memory-json", "out/m.json")
    result.assert_outcomes(passed=1)
    data = json.loads((project.path / "out" / "m.json").read_text())
    assert fixture_record(data, "tmp_path")["calls"] == 1
    assert data["environment"]["cpus"] >= 1 and data["environment"]["python"]
