"""Tests OUTSIDE tests/: nothing from tests/conftest.py may leak in here.

other/ has no conftest.py and is not a package.  Fixtures, autouse fixtures
and collection-time markers defined in tests/conftest.py apply only below
tests/, so these tests prove the scoping of that file (and of anything that
replaces it, e.g. a split into lazily loaded plugin modules).
"""

from __future__ import annotations

import asyncio
import os

import pytest

CONFTEST_AUTOUSE = ("_reset_supervisor_env", "_configure_session_logging")


@pytest.fixture(autouse=True)
def _tests_conftest_autouse_did_not_run(request):
    leaked = [name for name in CONFTEST_AUTOUSE if name in request.fixturenames]
    assert not leaked, f"autouse fixtures from tests/conftest.py leaked into other/: {leaked}"
    # _reset_supervisor_env exports the running test's node id; it must be absent.
    assert "SUPERVISOR_ACTIVE_TEST" not in os.environ
    yield
    assert "SUPERVISOR_ACTIVE_TEST" not in os.environ


def test_sample_data_not_visible(request):
    with pytest.raises(pytest.FixtureLookupError):
        request.getfixturevalue("sample_data")


@pytest.mark.parametrize(
    "fixture_name",
    ["test_user", "app", "client", "mock_redis_client", "high_volume_server", "real_redis", "common_test_user"],
)
def test_conftest_fixtures_not_visible(request, fixture_name):
    with pytest.raises(pytest.FixtureLookupError):
        request.getfixturevalue(fixture_name)


def test_directory_markers_not_applied(request):
    for marker in ("unit", "integration", "e2e"):
        assert request.node.get_closest_marker(marker) is None


def test_builtin_fixtures_still_work(tmp_path, monkeypatch):
    monkeypatch.setenv("OTHER_DIR_VAR", "1")
    (tmp_path / "f.txt").write_text("ok")
    assert (tmp_path / "f.txt").read_text() == "ok"


async def test_asyncio_mode_auto_still_applies():
    await asyncio.sleep(0)
    assert asyncio.get_running_loop().is_running()
