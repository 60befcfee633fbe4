"""SessionMemoryManager and MemoryOptimizationService."""

from __future__ import annotations

import pytest

from supervisor_service.memory import MemoryOptimizationService, SessionMemoryManager

pytestmark = pytest.mark.memory


def test_items_are_capped_per_session(session_memory_manager):
    for i in range(12):
        session_memory_manager.add("s1", f"message-{i}")
    assert session_memory_manager.get("s1") == [f"message-{i}" for i in range(7, 12)]


def test_least_recently_used_session_is_evicted(session_memory_manager):
    for i in range(8):
        session_memory_manager.add(f"s{i}", i)
    session_memory_manager.get("s0")  # refresh s0, so s1 becomes the oldest
    session_memory_manager.add("s8", 8)
    assert "s0" in session_memory_manager
    assert "s1" not in session_memory_manager
    assert session_memory_manager.evictions == 1


def test_idle_sessions_expire(session_memory_manager, frozen_clock):
    session_memory_manager.add("old", "x")
    frozen_clock.advance(45)
    session_memory_manager.add("new", "y")
    frozen_clock.advance(30)
    assert session_memory_manager.expire() == ["old"]
    assert len(session_memory_manager) == 1


def test_get_unknown_session_is_empty(session_memory_manager):
    assert session_memory_manager.get("missing") == []


def test_clear_session(session_memory_manager):
    session_memory_manager.add("s", 1)
    assert session_memory_manager.clear_session("s") is True
    assert session_memory_manager.clear_session("s") is False


def test_stats_track_bytes(session_memory_manager):
    session_memory_manager.add("s", "a" * 100)
    session_memory_manager.add("s", "b" * 10)
    stats = session_memory_manager.stats()
    assert stats["sessions"] == 1 and stats["items"] == 2
    assert stats["bytes"] > 110


@pytest.mark.parametrize("max_items", [1, 3, 10])
def test_item_cap_is_configurable(frozen_clock, max_items):
    manager = SessionMemoryManager(max_items=max_items, clock=frozen_clock)
    for i in range(20):
        manager.add("s", i)
    assert manager.get("s") == list(range(20 - max_items, 20))


def test_service_registers_session_memory(memory_optimization_service):
    assert memory_optimization_service.cache_names == ["session_memory"]


def test_duplicate_registration_rejected(memory_optimization_service, session_memory_manager):
    with pytest.raises(ValueError, match="already registered"):
        memory_optimization_service.register_cache("session_memory", session_memory_manager)


def test_optimize_is_noop_under_limit(memory_optimization_service, session_memory_manager):
    session_memory_manager.add("s", "keep me")
    assert not memory_optimization_service.is_over_limit()
    assert memory_optimization_service.optimize() is None
    assert len(session_memory_manager) == 1


def test_forced_optimize_clears_caches(memory_optimization_service, session_memory_manager):
    for i in range(4):
        session_memory_manager.add(f"s{i}", "x" * 64)
    report = memory_optimization_service.optimize(force=True)
    assert report is not None
    assert report.cleared_caches == ("session_memory",)
    assert report.entries_freed == 4
    assert len(session_memory_manager) == 0
    assert memory_optimization_service.reports == [report]


def test_tiny_limit_triggers_optimization(session_memory_manager):
    service = MemoryOptimizationService(soft_limit_mb=1, gc_generation=0)
    service.register_cache("sessions", session_memory_manager)
    session_memory_manager.add("s", "x")
    assert service.is_over_limit()
    report = service.optimize()
    assert report is not None and report.before.rss_mb > 1


def test_snapshot_reports_process_memory(memory_optimization_service):
    snapshot = memory_optimization_service.snapshot()
    assert snapshot.rss_mb > 10
    assert len(snapshot.gc_counts) == 3
    assert snapshot.tracked_entries == 0


def test_unregister_is_idempotent(memory_optimization_service):
    memory_optimization_service.unregister_cache("session_memory")
    memory_optimization_service.unregister_cache("session_memory")
    assert memory_optimization_service.cache_names == []
