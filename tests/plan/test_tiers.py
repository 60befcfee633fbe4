"""One module per tier, and which imports are heavy (pure planner tests)."""

from __future__ import annotations

import textwrap

import pytest

from splitter.analyze.graph import build_graph
from splitter.analyze.impact import chains, rate_impact
from splitter.analyze.parse import parse_conftest
from splitter.model import Analysis, ModuleCost
from splitter.plan.assign import SplitPlan, plan_split
from splitter.errors import UserError
from splitter.settings import SplitSettings, split_settings

SOURCE = '''
import pytest
import sqlalchemy as sa
import pandas as pd
import selenium_driver


class Registry:
    seen = []


def engine_url():
    return sa.engine.URL.create("sqlite")


@pytest.fixture
def db_engine():
    Registry.seen.append("db")
    return engine_url()


@pytest.fixture
def db_session(db_engine):
    return sa.orm.Session(db_engine)


@pytest.fixture
def warehouse_e2e():
    return pd.DataFrame()


@pytest.fixture
def browser_e2e():
    return selenium_driver.Browser()
'''

COSTS = {
    "pytest": ModuleCost("pytest", 0.0, 0.0),
    "sqlalchemy": ModuleCost("sqlalchemy", 21.0, 0.5, loads=("sqlalchemy", "greenlet")),
    "pandas": ModuleCost("pandas", 46.0, 1.0, loads=("pandas", "numpy")),
    "selenium_driver": ModuleCost("selenium_driver", 30.0, 1.0, loads=("selenium_driver",)),
}


def plan_of(settings: SplitSettings) -> SplitPlan:
    model = parse_conftest(textwrap.dedent(SOURCE), "conftest.py")
    graph = build_graph(model)
    ratings = rate_impact(model, graph, COSTS)
    analysis = Analysis(model, graph, ratings, tuple(COSTS.values()), chains(graph, ratings), measured=True)
    return plan_split(analysis, settings)


def module_of(plan: SplitPlan, fixture: str) -> str:
    owner = plan_model_owner(plan, fixture)
    unit = plan.placement(owner).unit
    assert unit is not None
    return unit.stem


def plan_model_owner(plan: SplitPlan, fixture: str) -> int:
    model = parse_conftest(textwrap.dedent(SOURCE), "conftest.py")
    return model.owner(fixture).index


def test_one_module_per_tier_whatever_the_heavy_imports() -> None:
    plan = plan_of(SplitSettings())
    assert [u.stem for u in plan.units] == ["conftest_services", "conftest_e2e"]
    assert module_of(plan, "db_engine") == module_of(plan, "db_session") == "conftest_services"
    assert module_of(plan, "browser_e2e") == module_of(plan, "warehouse_e2e") == "conftest_e2e"


def test_heavy_imports_are_the_measured_ones_at_or_above_low() -> None:
    plan = plan_of(SplitSettings())
    assert plan.heavy_imports == {"sqlalchemy", "pandas", "selenium_driver"}


def test_state_exists_once() -> None:
    plan = plan_of(SplitSettings())
    model = parse_conftest(textwrap.dedent(SOURCE), "conftest.py")
    assert sum(1 for p in plan.placements if "Registry" in model.definitions[p.definition].names) == 1


@pytest.mark.parametrize("table", [{"lazy_units": "tier"}, {"lazy_units": "dependency"}], ids=["tier", "dependency"])
def test_the_0_1_lazy_units_key_is_accepted_and_changes_nothing(table: dict[str, str]) -> None:
    assert plan_of(split_settings(table)).units == plan_of(SplitSettings()).units


def test_kept_names_stay_in_the_root_with_what_needs_them() -> None:
    plan = plan_of(split_settings({"keep": ["db_engine", "engine_url", "nothing_here"]}))
    model = parse_conftest(textwrap.dedent(SOURCE), "conftest.py")
    engine_url = next(d.index for d in model.definitions if "engine_url" in d.names)
    for index in (model.owner("db_engine").index, engine_url):
        placement = plan.placement(index)
        assert placement.group is None and "kept in the root as asked" in placement.reason
    assert module_of(plan, "db_session") == "conftest_services"
    assert "keep: the conftest defines no `nothing_here`" in plan.warnings


@pytest.mark.parametrize("value", ["db_engine", [1]], ids=["not-a-list", "not-names"])
def test_keep_must_be_a_list_of_names(value: object) -> None:
    with pytest.raises(UserError, match="keep must be a list of names"):
        split_settings({"keep": value})
