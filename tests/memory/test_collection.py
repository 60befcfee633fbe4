"""Collection figures: what the conftests and the packages they import cost."""

from __future__ import annotations

from tests.memory.support import allocate


def test_conftest_and_packages_imported_while_collecting_are_broken_out(
    measure, project
):
    project.mkpydir("heavy_pkg")
    project.path.joinpath("heavy_pkg", "__init__.py").write_text(
        f"BLOB = {allocate(25)}\nfrom heavy_pkg import part\n"
    )
    project.path.joinpath("heavy_pkg", "part.py").write_text(f"PART = {allocate(5)}\n")
    tests = project.mkpydir("tests")
    tests.joinpath("conftest.py").write_text("import heavy_pkg\nimport json\n")
    tests.joinpath("test_it.py").write_text(
        f"DATA = {allocate(8)}\n\ndef test_it():\n    pass\n"
    )
    result, data = measure()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["collection (*", "*main: * MB -> * MB (+* MB), peak * MB, * s, 1 items*"]
    )
    (collection,) = data["collections"]
    assert collection["end_mb"] - collection["baseline_mb"] >= 35
    assert collection["peak_mb"] >= collection["end_mb"] and collection["seconds"] > 0
    assert collection["measured_from"] == "pytest_load_initial_conftests"
    sites = {s["site"]: s for s in collection["sites"]}
    assert sites["tests/conftest.py"]["kind"] == "conftest"
    assert sites["tests/conftest.py"]["inclusive_mb"] >= 28
    assert (
        sites["tests/test_it.py"]["kind"] == "collector"
        and sites["tests/test_it.py"]["inclusive_mb"] >= 6
    )
    imports = {i["name"]: i for i in collection["imports"]}
    heavy = imports["heavy_pkg"]
    assert heavy["project"] and heavy["location"] == "heavy_pkg/__init__.py"
    assert heavy["inclusive_mb"] >= 28 and heavy["imported_by"] == "tests.conftest"
    assert imports["heavy_pkg.part"]["inclusive_mb"] >= 4
    assert (
        heavy["self_mb"] < heavy["inclusive_mb"]
    ), "the nested project module is counted apart"
    assert not any(
        i["name"].startswith("json")
        for i in collection["imports"]
        if i["inclusive_mb"] > 5
    )
