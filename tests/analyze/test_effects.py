"""The import-time effects of one statement: what it reads and changes, and when."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
import pytest

from splitter.analyze.effects import Effects, binds_immutable_value, statement_effects


# The module-level names in reach: locals (``v``, ``request``) and builtins are not.
MODULE_NAMES = frozenset(
    {"VALUES", "SETTINGS", "CONFIG", "NAME", "TAGS", "IDS", "DEFAULT", "REGISTRY", "_server", "pytest"}
    | {"cond", "mode", "start", "Base", "SIZE", "LIMIT"}
)


def effects(src: str) -> Effects:
    return statement_effects(cst.parse_module(dedent(src))).within(MODULE_NAMES)


@pytest.mark.parametrize(
    ("src", "reads", "mutates"),
    [
        pytest.param("VALUES.append('c')\n", {"VALUES"}, {"VALUES"}, id="method-call"),
        pytest.param("SETTINGS['mode'] = mode\n", {"SETTINGS", "mode"}, {"SETTINGS"}, id="item-assignment"),
        pytest.param("CONFIG.debug = True\n", {"CONFIG"}, {"CONFIG"}, id="attribute-assignment"),
        pytest.param("del SETTINGS['legacy']\n", {"SETTINGS"}, {"SETTINGS"}, id="del-item"),
        pytest.param("del NAME\n", set(), {"NAME"}, id="del-name"),
        pytest.param("TAGS += ('fast',)\n", {"TAGS"}, {"TAGS"}, id="augmented"),
        pytest.param("(a, SETTINGS['k']) = pair\n", {"SETTINGS"}, {"SETTINGS"}, id="unpacking"),
        pytest.param("IDS = [v.upper() for v in VALUES]\n", {"VALUES"}, set(), id="comprehension-locals"),
        pytest.param("if cond:\n    VALUES.append('c')\n", {"cond", "VALUES"}, {"VALUES"}, id="inside-if"),
    ],
)
def test_import_time_reads_and_changes(src: str, reads: set[str], mutates: set[str]) -> None:
    found = effects(src)
    assert (found.reads, found.mutates) == (reads, mutates)


def test_a_function_body_runs_later() -> None:
    found = effects(
        """
        @pytest.fixture(params=VALUES, ids=IDS)
        def letter(request, default=DEFAULT) -> Annotated:
            global _server
            _server = start(request.param)
            REGISTRY.append(_server)
            return request.param
        """
    )
    assert found.reads == {"pytest", "VALUES", "IDS", "DEFAULT"}
    assert found.runtime_reads == {"start", "REGISTRY", "_server"}
    assert found.runtime_mutates == {"REGISTRY"}
    assert found.runtime_rebinds == {"_server"}


def test_a_class_body_runs_at_import_its_methods_later() -> None:
    found = effects("class C(Base):\n    size = SIZE\n    def grow(self):\n        return LIMIT\n")
    assert (found.reads, found.runtime_reads) == ({"Base", "SIZE"}, {"LIMIT"})


@pytest.mark.parametrize(
    ("src", "immutable"),
    [("KEY = 'secret'\n", True), ("N: int = -3\n", True), ("PAIR = (1, 'a')\n", True), ("ITEMS = []\n", False)],
)
def test_values_that_cannot_change_in_place(src: str, immutable: bool) -> None:
    assert binds_immutable_value(cst.parse_module(src).body[0]) is immutable
