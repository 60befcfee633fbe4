"""Coroutine and async-generator fixtures in strict mode."""

import asyncio

import pytest


@pytest.mark.asyncio
async def test_greeting(greeting):
    assert greeting == "hello from echo"


@pytest.mark.asyncio
async def test_connection_is_open(connection, settings):
    assert connection.is_open
    assert connection.settings is settings
    # The fixture ran in the same (function-scoped) loop as the test.
    assert connection.loop is asyncio.get_running_loop()
    assert await connection.send("ping") == 4
    assert connection.sent == ["ping"]


@pytest.mark.asyncio
async def test_previous_connections_closed(connection, closed_connections):
    assert connection not in closed_connections
    assert all(not conn.is_open for conn in closed_connections)


def test_sync_test_uses_sync_fixture(settings):
    assert settings["retries"] == 2
