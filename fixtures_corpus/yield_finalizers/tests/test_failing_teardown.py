"""Teardown must run even if the test body fails."""

import pytest

_CONNECTIONS = []


@pytest.mark.xfail(raises=RuntimeError, strict=True, reason="body fails on purpose")
def test_body_raises(must_cleanup):
    assert must_cleanup["dirty"] is True
    raise RuntimeError("boom")


def test_cleanup_of_failed_test_recorded(record, must_cleanup):
    failed = __name__.replace(".", "/") + ".py::test_body_raises"
    events = record.events_for(failed)
    if events:  # it ran in this process (always, unless split by xdist)
        assert events == ["setup:must_cleanup", "teardown:must_cleanup"]
    assert must_cleanup["dirty"] is True


def test_module_connection_first(module_connection):
    _CONNECTIONS.append(module_connection)
    assert module_connection["closed"] is False
    assert module_connection["module"] == __name__


def test_module_connection_shared(module_connection):
    _CONNECTIONS.append(module_connection)
    assert all(conn is module_connection for conn in _CONNECTIONS)
    assert module_connection["notes"] == []
