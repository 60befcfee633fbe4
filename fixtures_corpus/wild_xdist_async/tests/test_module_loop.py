"""A module-scoped async fixture shared by tests running in the module loop."""

import asyncio

import pytest

_POOLS = []


@pytest.mark.asyncio(loop_scope="module")
async def test_pool_first(shared_pool):
    _POOLS.append(shared_pool)
    assert shared_pool["size"] == 4
    assert shared_pool["loop"] is asyncio.get_running_loop()


@pytest.mark.asyncio(loop_scope="module")
async def test_pool_shared(shared_pool, settings_for_pool):
    _POOLS.append(shared_pool)
    assert all(pool is shared_pool for pool in _POOLS)
    assert shared_pool["size"] == settings_for_pool["pool_size"]
