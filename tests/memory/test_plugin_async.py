"""Async fixtures (pytest-asyncio): the measured setup includes the awaited work."""

from __future__ import annotations

from tests.memory.support import allocate, fixture_record

ASYNC_CONFTEST = f"""
import asyncio
import pytest
import pytest_asyncio

@pytest_asyncio.fixture
async def async_value():
    await asyncio.sleep(0.3)
    return {allocate(20)}

@pytest_asyncio.fixture
async def async_generator():
    await asyncio.sleep(0.2)
    data = {allocate(15)}
    yield data
    await asyncio.sleep(0)

@pytest.fixture
async def plain_decorator_auto_mode():
    await asyncio.sleep(0.1)
    return 1
"""


def test_async_fixture_time_and_memory_include_the_awaited_work(measure, project):
    project.makeini("""
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = function
        """)
    project.makeconftest(ASYNC_CONFTEST)
    project.makepyfile("""
        async def test_it(async_value, async_generator, plain_decorator_auto_mode):
            assert len(async_value) and len(async_generator) and plain_decorator_auto_mode
        """)
    result, data = measure()
    result.assert_outcomes(passed=1)
    value = fixture_record(data, "async_value")
    generator = fixture_record(data, "async_generator")
    auto = fixture_record(data, "plain_decorator_auto_mode")
    assert value["max_seconds"] >= 0.28 and value["max_mb"] >= 18, value
    assert generator["max_seconds"] >= 0.18 and generator["max_mb"] >= 13, generator
    assert auto["max_seconds"] >= 0.09, auto
    assert (
        value["location"] == "conftest.py"
    ), "located at the user's function, not the asyncio wrapper"
    # pytest-asyncio ≥ 1.0 runs the loop in a ``_<scope>_scoped_runner`` fixture, older ones in ``event_loop``.
    loops = [
        f
        for f in data["fixtures"]
        if f["name"] == "event_loop" or f["name"].endswith("_scoped_runner")
    ]
    assert loops and all(
        f["max_seconds"] < 0.25 for f in loops
    ), "the event loop is measured apart"
