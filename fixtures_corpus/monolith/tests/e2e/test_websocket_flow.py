"""Full websocket flow through the FastAPI app (TestClient transport)."""

from __future__ import annotations

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.conftest import make_auth_token

pytestmark = pytest.mark.websocket


def _ws_url(user_id: str) -> str:
    return f"/ws?token={make_auth_token(user_id)}"


def test_ping_pong(client, test_user, e2e_logger):
    with client.websocket_connect(_ws_url(test_user["id"])) as ws:
        ws.send_json({"type": "ping"})
        e2e_logger.step("ping")
        assert ws.receive_json() == {"type": "pong"}


def test_bad_token_is_rejected(client):
    with pytest.raises(WebSocketDisconnect) as excinfo:
        with client.websocket_connect("/ws?token=forged") as ws:
            ws.receive_json()
    assert excinfo.value.code == 4401


def test_run_streams_events_then_result(client, test_user, e2e_logger, performance_monitor, agent_name):
    with client.websocket_connect(_ws_url(test_user["id"])) as ws:
        with performance_monitor.measure("agent_run"):
            ws.send_json({"type": "run", "agent": agent_name, "input": "refund my invoice"})
            frames = [ws.receive_json() for _ in range(3)]
        e2e_logger.step("run", agent=agent_name)
    assert [f.get("event") for f in frames[:2]] == ["agent_started", "agent_completed"]
    assert frames[2]["type"] == "result" and frames[2]["agent_name"] == agent_name
    performance_monitor.assert_within_budget("agent_run")


def test_unknown_agent_and_message(client, test_user):
    with client.websocket_connect(_ws_url(test_user["id"])) as ws:
        ws.send_json({"type": "run", "agent": "nope"})
        assert ws.receive_json() == {"type": "error", "detail": "unknown agent"}
        ws.send_json({"type": "dance"})
        assert ws.receive_json()["detail"] == "unknown message type 'dance'"


def test_events_are_private_to_the_user(client, test_user, test_user_v2, websocket_manager):
    with client.websocket_connect(_ws_url(test_user["id"])) as mine, client.websocket_connect(
        _ws_url(test_user_v2["id"])
    ) as theirs:
        mine.send_json({"type": "run", "agent": "echo", "input": "secret"})
        frames = [mine.receive_json() for _ in range(3)]
        theirs.send_json({"type": "ping"})
        assert theirs.receive_json() == {"type": "pong"}  # nothing of mine queued before the pong
        assert websocket_manager.connection_count() == 2
    assert frames[2]["output"]["echo"] == "secret"
    assert websocket_manager.connection_count() == 0


def test_http_runs_are_pushed_to_open_socket(client, test_user, auth_headers):
    with client.websocket_connect(_ws_url(test_user["id"])) as ws:
        ws.send_json({"type": "ping"})
        ws.receive_json()  # connection registered once pong arrives
        run = client.post("/agents/summarizer/runs", json={"input": "http triggered run"}, headers=auth_headers).json()
        events = [ws.receive_json() for _ in range(2)]
    assert [e["run_id"] for e in events] == [run["run_id"]] * 2


def test_e2e_logger_dump_is_json(e2e_logger):
    e2e_logger.step("noop", value=1)
    assert '"noop"' in e2e_logger.dump()
    assert e2e_logger.to_frame()["step"].tolist() == ["setup", "noop"]
