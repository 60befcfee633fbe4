"""Mapping measured fixtures to the modules of a split (pure)."""

from __future__ import annotations

import dataclasses

from splitter.memory.layout import lazy_table, make_layout
from splitter.memory.records import FixtureStats
from splitter.render.loader import render_lazy_table

ROOT = "tests/conftest.py"


def measured(name: str, location: str, function: str | None = None) -> FixtureStats:
    return FixtureStats(
        name=name,
        function=function or name,
        location=location,
        line=1,
        scope="function",
        argnames=(),
        description="",
        declared_level=None,
        calls=1,
        total_mb=0.0,
        max_mb=0.0,
        max_inclusive_mb=0.0,
        total_seconds=0.0,
        max_seconds=0.0,
    )


def test_the_lazy_table_of_a_generated_loader_is_read():
    source = "import pytest\n" + render_lazy_table(
        {"db_engine": "conftest_services", "browser": "conftest_e2e"}
    )
    assert lazy_table(source) == {
        "db_engine": "conftest_services",
        "browser": "conftest_e2e",
    }


def test_a_source_without_a_lazy_table_has_none():
    assert (
        lazy_table("_LAZY_FIXTURES = make()\n") == {} and lazy_table("def (:\n") == {}
    )


def split_layout():
    sources = {
        "tests/conftest_services.py": "def engine(): ...\n",
        ROOT: "import pytest\n"
        + render_lazy_table({"engine_impl": "conftest_services"}),
        "tests/conftest_base.py": "a = 1\nb = 2\n",
    }
    return make_layout(ROOT, sources)


def test_the_root_conftest_comes_first_and_lines_are_counted():
    layout = split_layout()
    assert [m.path for m in layout.modules] == [
        ROOT,
        "tests/conftest_base.py",
        "tests/conftest_services.py",
    ]
    assert layout.modules[1].lines == 2 and layout.modules[0].root and layout.split


def test_stubs_count_in_their_implementation_module_and_others_where_defined():
    layout = split_layout()
    stub = measured("engine", ROOT, function="engine_impl")
    eager = measured("user", "tests/conftest_base.py")
    hook_fixture = measured("autouse_env", ROOT)
    elsewhere = measured("tmp_path", "_pytest.tmpdir")
    assert layout.module_of(stub) == "tests/conftest_services.py"
    assert layout.module_of(eager) == "tests/conftest_base.py"
    assert layout.module_of(hook_fixture) == ROOT
    assert layout.module_of(elsewhere) is None
    fixtures = [stub, eager, dataclasses.replace(eager, name="other")]
    assert [f.name for f in layout.fixtures_of("tests/conftest_base.py", fixtures)] == [
        "user",
        "other",
    ]


def test_stubs_in_the_loader_module_count_in_their_implementation_module():
    """Today's split: the stubs and ``_LAZY_FIXTURES`` are in the generated conftest_loader.py."""
    loader = "tests/conftest_loader.py"
    sources = {
        ROOT: "globals().update(_load_split())\n",
        loader: "import pytest\n" + render_lazy_table({"engine_impl": "conftest_services"}),
        "tests/conftest_services.py": "def engine(): ...\n",
    }
    layout = make_layout(ROOT, sources)
    assert layout.loader == loader and layout.lazy == (("engine_impl", "tests/conftest_services.py"),)
    assert layout.module_of(measured("engine", loader, function="engine_impl")) == "tests/conftest_services.py"
    assert layout.module_of(measured("autouse_env", ROOT)) == ROOT
