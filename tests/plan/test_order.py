"""Import-time order in the plan: module state, run-time globals, side-effect imports,
names pytest reads from the conftest (DESIGN.md, "Import-time semantics")."""

from __future__ import annotations

from textwrap import dedent

from splitter.analyze.graph import build_graph
from splitter.analyze.impact import rate_impact
from splitter.analyze.parse import parse_conftest
from splitter.model import Analysis
from splitter.plan.assign import plan_split
from splitter.settings import SplitSettings


def placed(src: str) -> dict[str, bool]:
    """Per name a statement binds: whether it stays in the root conftest."""
    model = parse_conftest("import os\nimport pytest\n" + dedent(src))
    graph = build_graph(model)
    analysis = Analysis(model, graph, rate_impact(model, graph, None, None), (), (), False)
    split = plan_split(analysis, SplitSettings())
    return {
        name: split.placement(d.index).group is None
        for d in model.definitions
        if not split.placement(d.index).copied
        for name in d.names
    }


def test_state_changed_by_a_root_statement_stays_with_it_in_order() -> None:
    where = placed(
        """
        VALUES = ["a", "b"]
        if os.environ.get("SHORT") is None:
            VALUES.append("c")
        IDS = [v.upper() for v in VALUES]

        @pytest.fixture(params=VALUES, ids=IDS)
        def letter(request):
            return request.param

        @pytest.fixture
        def cheap():
            return 1
        """
    )
    assert where == {"VALUES": True, "IDS": True, "letter": True, "cheap": False}


def test_state_changed_only_by_movable_statements_moves_together() -> None:
    where = placed(
        """
        TAGS = ("unit",)
        TAGS += ("fast",)

        @pytest.fixture
        def tags():
            return TAGS
        """
    )
    assert where == {"TAGS": False, "tags": False}


def test_a_global_rebound_by_a_root_hook_has_one_home() -> None:
    where = placed(
        """
        DB_URL = None

        def pytest_configure(config):
            global DB_URL
            DB_URL = "sqlite://"

        @pytest.fixture
        def db_url():
            return DB_URL

        @pytest.fixture
        def cheap():
            return 1
        """
    )
    assert where["DB_URL"] and where["db_url"] and not where["cheap"]


def test_a_global_a_fixture_rebinds_for_a_root_hook_has_one_home() -> None:
    where = placed(
        """
        _server = None

        def pytest_runtest_call(item):
            item.user_properties.append(("server", _server))

        @pytest.fixture(scope="session")
        def server():
            global _server
            _server = object()
            yield _server

        @pytest.fixture
        def cheap():
            return 1
        """
    )
    assert where["_server"] and where["server"] and not where["cheap"]


def test_constants_nothing_reads_stay_where_pytest_looks() -> None:
    where = placed(
        """
        collect_ignore = ["setup.py"]
        collect_ignore_glob = ["*_old.py"]
        LIMIT = 3

        @pytest.fixture
        def limit():
            return LIMIT
        """
    )
    assert where == {"collect_ignore": True, "collect_ignore_glob": True, "LIMIT": False, "limit": False}


def test_a_value_read_before_a_side_effect_import_stays_before_it() -> None:
    where = placed(
        """
        BEFORE = os.environ.get("READY")
        import _setup_env  # noqa: F401
        AFTER = os.environ.get("READY")

        @pytest.fixture
        def values():
            return BEFORE, AFTER
        """
    )
    assert where == {"BEFORE": True, "AFTER": False, "values": True}


def test_a_change_through_an_alias_is_a_change_of_its_source() -> None:
    where = placed(
        """
        BASE = []
        ALIAS = BASE
        ALIAS.append(1)
        SIZE = len(BASE)

        @pytest.fixture
        def size():
            return SIZE
        """
    )
    assert where == {"BASE": True, "ALIAS": True, "SIZE": True, "size": True}


def test_a_helper_that_changes_state_when_a_constant_calls_it() -> None:
    where = placed(
        """
        REGISTRY = []

        def add(name):
            REGISTRY.append(name)
            return name

        FIRST = add("first")
        COUNT = len(REGISTRY)

        @pytest.fixture
        def count():
            return COUNT, FIRST
        """
    )
    assert where == {"REGISTRY": False, "add": False, "FIRST": False, "COUNT": False, "count": False}


def test_pytest_plugins_bound_in_a_block_stays_in_the_root() -> None:
    where = placed(
        """
        if os.environ.get("WITH_PLUGIN"):
            pytest_plugins = ["some.plugin"]

        @pytest.fixture
        def cheap():
            return 1
        """
    )
    assert where == {"pytest_plugins": True, "cheap": False}
