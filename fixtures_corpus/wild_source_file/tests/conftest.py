"""Fixtures for an event-handling suite."""

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
