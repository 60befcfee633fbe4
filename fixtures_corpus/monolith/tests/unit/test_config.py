"""Settings and the environment handling done by the shared conftest."""

from __future__ import annotations

import os

import pytest

from supervisor_service.config import Settings
from tests.conftest import TEST_SECRET_KEY


def test_defaults_without_environment():
    settings = Settings.from_env({})
    assert settings == Settings()
    assert not settings.is_production


def test_from_env_parses_types():
    settings = Settings.from_env(
        {"SUPERVISOR_ENV": "production", "MAX_CONCURRENT_RUNS": "16", "SUPERVISOR_DEBUG": "yes"}
    )
    assert settings.is_production
    assert settings.max_concurrent_runs == 16
    assert settings.debug is True


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("off", False), ("0", False)])
def test_debug_flag_parsing(raw, expected):
    assert Settings.from_env({"SUPERVISOR_DEBUG": raw}).debug is expected


def test_test_settings_come_from_conftest_environment(test_settings):
    assert test_settings.env == "test"
    assert test_settings.secret_key == TEST_SECRET_KEY
    assert test_settings.session_ttl_seconds == int(os.environ["SESSION_TTL_SECONDS"])


def test_supervisor_settings_alias(supervisor_settings, test_settings):
    assert supervisor_settings.max_concurrent_runs == 2
    assert supervisor_settings.secret_key == test_settings.secret_key
    assert supervisor_settings.session_ttl_seconds == 60


def test_with_overrides_returns_new_object(test_settings):
    changed = test_settings.with_overrides(env="staging")
    assert changed.env == "staging"
    assert test_settings.env == "test"


def test_autouse_env_reset_exposes_nodeid(request):
    assert os.environ["SUPERVISOR_ACTIVE_TEST"] == request.node.nodeid


@pytest.mark.parametrize("value", ["first", "second"])
def test_env_changes_do_not_leak_between_tests(value):
    # Whichever parametrization runs first must not see the other's value.
    assert "SUPERVISOR_LEAK_CHECK" not in os.environ
    os.environ["SUPERVISOR_LEAK_CHECK"] = value
    os.environ["SUPERVISOR_ENV"] = f"mutated-{value}"


def test_env_mutation_was_rolled_back():
    assert os.environ["SUPERVISOR_ENV"] == "test"
