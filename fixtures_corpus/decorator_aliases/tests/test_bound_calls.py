"""Tests for fixtures created by calling ``pytest.fixture`` at module level."""

import pytest


def test_counter_is_fresh_per_test(counter):
    assert next(counter) == 1
    assert next(counter) == 2


def test_counter_is_fresh_again(counter):
    # Function scope: a new itertools.count every test.
    assert next(counter) == 1


def test_settings_session_scope(settings):
    assert settings["env"] == "test"
    # Built once per process no matter how many tests request it.
    assert settings["build"] == 1


def test_settings_session_scope_again(settings, request):
    assert settings["build"] == 1
    assert request.getfixturevalue("settings") is settings


def test_direct_call_form(direct_call):
    assert direct_call == "test-direct"


def test_registered_name_is_attribute_name(request):
    # The implementation functions are NOT fixtures under their own names.
    for impl_name in ("_counter_impl", "_settings_impl", "_direct_impl", "_renamed_impl"):
        with pytest.raises(pytest.FixtureLookupError):
            request.getfixturevalue(impl_name)


def test_aliased_and_renamed(aliased_and_renamed):
    assert aliased_and_renamed == ("imported", 1)


def test_module_alias_in_other_module(module_alias):
    # A separate module gets its own module-scoped instance.
    assert module_alias["module"] == __name__
    assert module_alias["opened"] is True
