"""Where the planner puts fixtures whose signature pytest computes from more than the ``def``."""

from __future__ import annotations

from pathlib import Path

from splitter.analyze.analysis import AnalyzeSettings, analyze_file
from splitter.plan.assign import plan_split
from splitter.settings import Group, SplitSettings
from tests.corpora import CORPUS

STACKED = CORPUS / "wild_stacked_decorators" / "tests" / "conftest.py"
LAMBDAS = CORPUS / "wild_lambda_factories" / "tests" / "conftest.py"


def placements(conftest: Path, pins: dict[str, Group]) -> dict[str, tuple[Group | None, str]]:
    analysis = analyze_file(conftest, AnalyzeSettings(measure=False))
    plan = plan_split(analysis, SplitSettings(pins=pins))
    return {
        f.name: (plan.placement(d.index).group, plan.placement(d.index).reason)
        for d in analysis.model.definitions
        for f in d.fixtures
    } | {"lazy": (None, ",".join(plan.lazy))}


def test_a_patched_fixture_pinned_to_a_lazy_module_stays_eager() -> None:
    placed = placements(STACKED, {"cwd": Group.SERVICES, "uses_all": Group.SERVICES})
    assert placed["cwd"][0] is Group.BASE and "changes its signature: no lazy stub" in placed["cwd"][1]
    assert placed["lazy"] == (None, "uses_all")


def test_a_fixture_with_a_hidden_signature_stays_in_the_root() -> None:
    placed = placements(STACKED, {"answer": Group.SERVICES})
    assert placed["answer"] == (None, "pytest computes the signature of answer from code not visible here")


def test_fixture_objects_from_calls_stay_eager_and_unknown_signatures_in_the_root() -> None:
    placed = placements(LAMBDAS, {"answer_fxt": Group.SERVICES})
    assert placed["answer_fxt"][0] is Group.BASE
    assert placed["platform"][0] is None and placed["platform_again"][0] is None
