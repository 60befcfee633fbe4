"""pytest-xdist: workers measure, the controller merges and prints."""

from __future__ import annotations

from tests.memory.support import QUIET, allocate, fixture_record


def test_workers_records_are_merged_in_the_controller(measure, project):
    project.makeconftest(f"""
        import pytest

        @pytest.fixture
        def per_test():
            return {allocate(6)}
        """)
    project.makepyfile(
        test_one="def test_a(per_test): pass\ndef test_b(per_test): pass\n",
        test_two="def test_c(per_test): pass\ndef test_d(per_test, memory_reporter):\n"
        "    memory_reporter.report('on a worker')\n",
    )
    result, data = measure("-n", "2")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "*= fixture memory (splitter) =*",
            "*per_test*function*4*",
            "*test_d*on a worker*",
        ]
    )
    assert fixture_record(data, "per_test")["calls"] == 4
    processes = sorted(c["process"] for c in data["collections"])
    assert processes == ["controller", "gw0", "gw1"]
    assert all(
        c["items"] == 4 for c in data["collections"] if c["process"] != "controller"
    )
    assert [r["process"] for r in data["reports"]][0].startswith("gw")
    assert data["outcomes"]["passed"] == 4


def test_memory_reporter_alone_reaches_the_controller(project):
    project.makepyfile(
        "def test_a(memory_reporter):\n    memory_reporter.report('from a worker')\n"
    )
    result = project.runpytest_subprocess(*QUIET, "-n", "2")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["memory reports:", "*test_a*from a worker*"])
