"""Tests using the top-level conftest only."""


def test_greeting(greeting):
    assert greeting == "Hello from corpus-app"


def test_formatted_date(formatted_date, today):
    assert formatted_date == "01/31/2024"
    assert today.isoformat() == "2024-01-31"


def test_conftest_imported_as_plain_module(conftest_module_name, app_name):
    assert conftest_module_name == "conftest"
    assert app_name == "corpus-app"


def test_locale_default(locale):
    assert locale == "en_US"
