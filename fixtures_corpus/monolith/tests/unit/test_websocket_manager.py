"""WebSocketManager fan-out with recording sockets."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.websocket


async def test_connect_accepts_socket(websocket_manager, recording_websocket):
    ws = recording_websocket("a")
    await websocket_manager.connect("alice", ws)
    assert ws.accepted
    assert websocket_manager.connection_count("alice") == 1


async def test_connect_without_accept(websocket_manager, recording_websocket):
    ws = recording_websocket("a")
    await websocket_manager.connect("alice", ws, accept=False)
    assert not ws.accepted


async def test_send_to_user_reaches_all_their_sockets(connected_websocket_manager):
    delivered = await connected_websocket_manager.send_to_user("alice", {"n": 1})
    assert delivered == 2
    assert connected_websocket_manager.connection_count() == 3


async def test_send_to_unknown_user(connected_websocket_manager):
    assert await connected_websocket_manager.send_to_user("carol", {"n": 1}) == 0
    assert connected_websocket_manager.history[-1] == ("carol", {"n": 1})


async def test_broadcast(connected_websocket_manager):
    assert await connected_websocket_manager.broadcast({"hello": "all"}) == 3
    assert connected_websocket_manager.connected_users() == ["alice", "bob"]


async def test_dead_socket_is_dropped(websocket_manager, recording_websocket):
    good, dead = recording_websocket("good"), recording_websocket("dead", fail_on_send=True)
    await websocket_manager.connect("u", good)
    await websocket_manager.connect("u", dead)
    assert await websocket_manager.send_to_user("u", {"x": 1}) == 1
    assert websocket_manager.connection_count("u") == 1
    assert good.sent == [{"x": 1}]


async def test_disconnect_last_socket_forgets_user(connected_websocket_manager):
    # bob has exactly one socket; find it through the public API
    await connected_websocket_manager.send_to_user("bob", {"probe": True})
    bob_socket = connected_websocket_manager._connections["bob"][0]
    await connected_websocket_manager.disconnect("bob", bob_socket)
    assert "bob" not in connected_websocket_manager.connected_users()


async def test_history_is_bounded(websocket_manager):
    for i in range(60):
        await websocket_manager.send_to_user("nobody", {"i": i})
    assert len(websocket_manager.history) == 50
    assert websocket_manager.history[0][1] == {"i": 10}
