"""The ledger charges each stretch of work to the innermost open frame."""

from __future__ import annotations

import sys

import pytest

from splitter.memory.ledger import Ledger, ModuleWatch
from splitter.memory.records import MB


class Scripted:
    """An RSS reader and a clock that return what the test says."""

    def __init__(self) -> None:
        self.rss = 100 * int(MB)
        self.now = 0.0

    def grow(self, megabytes: float, seconds: float) -> None:
        self.rss += int(megabytes * MB)
        self.now += seconds


@pytest.fixture
def script():
    return Scripted()


@pytest.fixture
def ledger(script):
    return Ledger(lambda: script.rss, lambda: script.now)


def test_nested_work_is_charged_once_to_the_innermost_frame(ledger, script):
    ledger.push("outer")
    script.grow(2, 0.1)
    ledger.push("inner")
    script.grow(30, 1.0)
    inner = ledger.pop()
    script.grow(1, 0.2)
    outer = ledger.pop()
    assert (inner.self_mb, inner.inclusive_mb, inner.self_seconds) == (30, 30, 1.0)
    assert outer.self_mb == pytest.approx(3) and outer.inclusive_mb == pytest.approx(33)
    assert outer.self_seconds == pytest.approx(0.3) and outer.seconds == pytest.approx(
        1.3
    )


def test_work_outside_any_frame_is_charged_to_nobody(ledger, script):
    script.grow(50, 5)
    ledger.push("fixture")
    script.grow(1, 0.01)
    assert ledger.pop().self_mb == pytest.approx(1)


def test_a_frame_that_frees_memory_shows_a_negative_delta(ledger, script):
    ledger.push("cleanup")
    script.grow(-4, 0.0)
    assert ledger.pop().self_mb == pytest.approx(-4)


def test_modules_imported_meanwhile_go_to_the_innermost_frame(ledger, monkeypatch):
    ledger.push("outer")
    monkeypatch.setitem(sys.modules, "splitter_test_fake_a", object())
    ledger.push("inner")
    monkeypatch.setitem(sys.modules, "splitter_test_fake_b", object())
    inner = ledger.pop()
    outer = ledger.pop()
    assert inner.modules == ("splitter_test_fake_b",) and inner.modules_total == 1
    assert outer.modules == ("splitter_test_fake_a",) and outer.modules_total == 2


def test_module_watch_notices_additions_after_removals(monkeypatch):
    watch = ModuleWatch()
    existing = next(iter(sys.modules))
    saved = sys.modules.pop(existing)
    try:
        monkeypatch.setitem(sys.modules, "splitter_test_fake_c", object())
        assert watch.fresh() == ["splitter_test_fake_c"]
    finally:
        sys.modules[existing] = saved
