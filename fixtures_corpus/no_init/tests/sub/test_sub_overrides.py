"""Tests below ``tests/sub`` see the overriding fixtures."""

import sys


def test_overridden_locale(locale):
    assert locale == "de_DE"


def test_extended_greeting(greeting):
    # Parent greeting computed with the *overridden* locale, then extended.
    assert greeting == "Hallo from corpus-app!"


def test_parent_fixture_follows_override(formatted_date):
    assert formatted_date == "31.01.2024"


def test_no_package(today, conftest_module_name):
    assert __package__ in ("", None)
    assert __name__ == "test_sub_overrides"
    assert conftest_module_name == "conftest"
    assert today.year == 2024
    assert sys.modules[__name__].__file__.endswith("test_sub_overrides.py")
