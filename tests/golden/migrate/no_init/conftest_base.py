"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import datetime

import pytest


@pytest.fixture(scope="session")
def app_name():
    return "corpus-app"


@pytest.fixture
def locale():
    """Overridden in ``tests/sub/conftest.py``."""
    return "en_US"


@pytest.fixture
def greeting(app_name, locale):
    """Overridden (extended) in ``tests/sub/conftest.py``."""
    words = {"en_US": "Hello", "de_DE": "Hallo"}
    return f"{words[locale]} from {app_name}"


@pytest.fixture
def today():
    """A fixed date so tests are deterministic."""
    return datetime.date(2024, 1, 31)


@pytest.fixture
def formatted_date(today, locale):
    """Date formatted per locale -- follows whichever ``locale`` is active."""
    if locale == "de_DE":
        return today.strftime("%d.%m.%Y")
    return today.strftime("%m/%d/%Y")
