"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


@pytest.fixture
def make_handler():
    """A handler whose home the suite checks."""

    def handler(event):
        return f"handled {event}"

    return handler


@pytest.fixture
def settings_dict():
    return {"debug": True, "retries": 3}


@pytest.fixture
def event_names(settings_dict):
    return ["start", "stop"] * settings_dict["retries"]
