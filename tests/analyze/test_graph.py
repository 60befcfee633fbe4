"""graph: dependency edges, closures, cycles, order and externals from small sources."""

from __future__ import annotations

from textwrap import dedent

import pytest

from splitter.analyze.graph import build_graph, heaviest_chains
from splitter.model import FixtureGraph
from splitter.analyze.parse import parse_conftest

HEADER = "import pytest\nF = pytest.fixture\n"


def graph(src: str) -> FixtureGraph:
    return build_graph(parse_conftest(HEADER + dedent(src)))


def deps(src: str) -> dict[str, tuple[str, ...]]:
    return {n.name: n.depends_on for n in graph(src).nodes}


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "@F\ndef a(b): pass\n@F\ndef b(): pass\n",
            {"a": ("b",), "b": ()},
            id="argnames",
        ),
        pytest.param(
            "@F\ndef a(request):\n    request.getfixturevalue('b')\n@F\ndef b(): pass\n",
            {"a": ("request", "b"), "b": ()},
            id="getfixturevalue",
        ),
        pytest.param(
            "def helper(request):\n    return request.getfixturevalue('b')\n@F\ndef a(request):\n    return helper(request)\n@F\ndef b(): pass\n",
            {"a": ("request", "b"), "b": ()},
            id="through-helper",
        ),
        pytest.param(
            "@F(name='db')\ndef _db(): pass\n@F\ndef a(db): pass\n",
            {"db": (), "a": ("db",)},
            id="registered-name",
        ),
        pytest.param(
            "@F\ndef tmp_path(tmp_path): pass\n",
            {"tmp_path": ("tmp_path",)},
            id="override",
        ),
    ],
)
def test_direct_dependencies(src: str, expected: dict[str, tuple[str, ...]]) -> None:
    assert deps(src) == expected


def test_closure_is_transitive_and_externals_are_leaves() -> None:
    node = graph(
        "@F\ndef a(b): pass\n@F\ndef b(c, tmp_path): pass\n@F\ndef c(): pass\n"
    ).node("a")
    assert (node.closure, node.externals) == (("b", "c", "tmp_path"), ("tmp_path",))


def test_order_puts_dependencies_first() -> None:
    assert graph(
        "@F\ndef a(b): pass\n@F\ndef b(c): pass\n@F\ndef c(): pass\n"
    ).order == ("c", "b", "a")


def test_cycles_are_reported_with_their_path() -> None:
    assert graph(
        "@F\ndef a(b): pass\n@F\ndef b(c): pass\n@F\ndef c(a): pass\n@F\ndef d(): pass\n"
    ).cycles == (
        ("a", "b", "c", "a"),
    )


def test_override_is_not_a_cycle() -> None:
    g = graph("@F\ndef monkeypatch(monkeypatch): pass\n")
    assert (g.cycles, [(e.name, e.overridden) for e in g.externals]) == (
        (),
        [("monkeypatch", True)],
    )


def test_externals_name_their_users() -> None:
    assert [
        (e.name, e.requested_by)
        for e in graph(
            "@F\ndef a(request): pass\n@F\ndef b(request, tmp_path): pass\n"
        ).externals
    ] == [("request", ("a", "b")), ("tmp_path", ("b",))]


def test_dynamic_dependency_is_reported() -> None:
    assert [
        (d.user, d.expression)
        for d in graph(
            "@F\ndef a(request):\n    return request.getfixturevalue(request.param)\n"
        ).dynamic
    ] == [("a", "request.param")]


def test_definition_closure_reaches_helpers_and_imports() -> None:
    model = parse_conftest(
        HEADER
        + "import json\ndef helper():\n    return json.dumps(1)\n@F\ndef a():\n    return helper()\n"
    )
    assert [
        model.definitions[i].names for i in build_graph(model).node("a").definitions
    ] == [("pytest",), ("F",), ("json",), ("helper",), ("a",)]


def test_star_import_names_reach_the_unmovable_statement() -> None:
    model = parse_conftest(
        HEADER + "from os.path import *\n@F\ndef a():\n    return join('x')\n"
    )
    assert 2 in build_graph(model).node("a").definitions


def test_heaviest_chain_follows_the_heaviest_dependency() -> None:
    g = graph(
        "@F\ndef a(b, c): pass\n@F\ndef b(): pass\n@F\ndef c(d): pass\n@F\ndef d(): pass\n"
    )
    assert heaviest_chains(g, {"a": 1, "b": 50, "c": 1, "d": 1}) == (("a", "b"),)
