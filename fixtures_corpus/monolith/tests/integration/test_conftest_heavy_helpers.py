"""The tests/conftest.py helpers that are not pure Python.

``UserFactory`` persists through SQLAlchemy, ``PerformanceMonitor`` uses
psutil, numpy and pandas, ``E2ELogger.to_frame`` builds a pandas frame.
The pure-Python helpers are tested in tests/unit/test_conftest_helpers.py.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import E2ELogger, PerformanceMonitor, UserFactory


def test_user_factory_role_matrix(user_factory, user_role):
    assert UserFactory(default_role=user_role).build()["role"] == user_role
    assert user_factory.build(role=user_role)["role"] == user_role


def test_performance_monitor_budget_checks():
    monitor = PerformanceMonitor("unit", {"fast": 1_000.0, "tight": 0.0})
    with monitor.measure("fast"):
        pass
    monitor.record("tight", 5.0)
    assert monitor.assert_within_budget("fast") < 1_000
    with pytest.raises(AssertionError, match="exceeds budget"):
        monitor.assert_within_budget("tight")
    with pytest.raises(KeyError):
        monitor.assert_within_budget("unknown")
    summary = monitor.summary()
    assert isinstance(summary, pd.DataFrame)
    assert list(summary["label"]) == ["fast", "tight"]


def test_e2e_logger_records_steps():
    log = E2ELogger("unit")
    log.step("connect", url="ws://x")
    log.step("send", n=3)
    assert log.steps() == ["connect", "send"]
    assert [e["seq"] for e in log.events] == [1, 2]
    assert json.loads(log.dump())["events"][1]["n"] == 3
    assert list(log.to_frame()["step"]) == ["connect", "send"]
