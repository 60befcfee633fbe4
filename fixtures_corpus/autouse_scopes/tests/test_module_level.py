"""Autouse side effects as seen by module-level test functions."""

import os

_MY_MODULE = f"module:setup:{__name__}"


def test_setup_order(events, request):
    # The most recent events are this test's own setups, outermost scope first.
    assert events[-2:] == ["class:setup:None", f"function:setup:{request.node.name}"]
    assert events.index("session:setup") < events.index(_MY_MODULE)
    assert events.index(_MY_MODULE) < len(events) - 2


def test_session_fixture_ran_once(events):
    assert events.count("session:setup") == 1
    assert "session:teardown" not in events
    assert events.count(_MY_MODULE) == 1


def test_only_current_scopes_are_open(open_events):
    # Every earlier function/class/module was torn down before this test started.
    assert open_events("session") == 1
    assert open_events("module") == 1
    # Class scope for a module-level function is set up around the function.
    assert open_events("class") == 1
    assert open_events("function") == 1


def test_env_var_side_effect():
    # Set by the function-scoped autouse ``_app_mode`` fixture via monkeypatch.
    assert os.environ["CORPUS_APP_MODE"] == "test"
