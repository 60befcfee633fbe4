"""Unit tests: they request only the conftest's light fixtures."""

import sys


def test_settings(settings):
    assert settings["name"] == "shop"


def test_sample_users(sample_users):
    assert [u["name"] for u in sample_users] == ["ada", "grace"]


def test_clock(frozen_now):
    from tests import conftest

    assert conftest.iso(frozen_now) == "2024-01-01T12:00:00"


def test_star_imported_fixtures_keep_their_api(request):
    """Scope, params, ids and names as pytest registers them from the conftest."""
    manager = request.session._fixturemanager
    node = request.node

    def last(name):
        return manager.getfixturedefs(name, node)[-1]

    assert last("db_engine").scope == "session"
    assert last("db_engine").argnames == ("settings",)
    assert last("report_frame").scope == "module"
    assert list(last("backend").params) == ["sqlite", "postgres"]
    assert list(last("backend").ids) == ["lite", "pg"]
    assert last("user_row").argnames == ("db_session",)
    assert manager.getfixturedefs("_user_row", node) is None
    assert manager.getfixturedefs("_private_helper", node) is None
    assert manager.getfixturedefs("_not_exported", node) is None


def test_unit_tests_do_not_need_the_heavy_libraries():
    """Always true before the split too: nothing here uses them (they may be loaded, though)."""
    assert "tests.unit.test_light" in sys.modules
