"""Tracing a verifier's differences to the definitions that moved (pure)."""

from __future__ import annotations

import pytest

from splitter.migrate.replan import names_to_keep
from splitter.verify.compare import DiffKind, Difference
from splitter.verify.snapshot import ApiSnapshot, CollectedItem

BEFORE = ApiSnapshot(
    pytest_version="9",
    items=(CollectedItem("tests/test_a.py::t", frozenset({"make_handler", "tmp_path", "settings"}), frozenset(), ()),),
    definitions=(),
    registry=(),
    shared_state=(),
)
MOVED = {"make_handler", "settings", "Helper"}


@pytest.mark.parametrize(
    ("difference", "kept"),
    [
        pytest.param(
            Difference(DiffKind.OUTCOME, "tests/test_a.py::t", None, "outcome passed → failed"),
            ["make_handler", "settings"],
            id="outcome-to-the-moved-fixtures-the-test-uses",
        ),
        pytest.param(Difference(DiffKind.SCOPE, None, "settings", "scope"), ["settings"], id="a-fixture-definition"),
        pytest.param(
            Difference(DiffKind.NAMESPACE, "tests/conftest.py", None, "`tests.conftest.Helper` is now x (was y)"),
            ["Helper"],
            id="a-conftest-name",
        ),
    ],
)
def test_a_difference_leads_to_the_moved_names_it_names(difference: Difference, kept: list[str]) -> None:
    found = names_to_keep([difference], BEFORE, MOVED)
    assert found is not None and sorted(found) == kept


@pytest.mark.parametrize(
    "difference",
    [
        pytest.param(Difference(DiffKind.CONFIGURATION, None, None, "marker gone"), id="tree-wide"),
        pytest.param(Difference(DiffKind.SCOPE, None, "tmp_path", "scope"), id="not-moved"),
        pytest.param(Difference(DiffKind.OUTCOME, "tests/test_b.py::t", None, "outcome"), id="unknown-test"),
    ],
)
def test_one_untraceable_difference_and_the_rollback_stands(difference: Difference) -> None:
    traced = Difference(DiffKind.SCOPE, None, "settings", "scope")
    assert names_to_keep([traced, difference], BEFORE, MOVED) is None
