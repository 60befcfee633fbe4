"""Analytics (ClickHouse) and session (Redis) endpoints."""

from __future__ import annotations

import pytest

from tests.conftest import FakeClickHouseServer, assert_json_subset


def test_record_events_inserts_into_clickhouse(client, auth_headers, test_user, mock_clickhouse_client):
    events = [{"name": "opened", "value": 1}, {"name": "closed", "properties": {"reason": "done"}}]
    response = client.post("/analytics/events", json=events, headers=auth_headers)
    assert response.status_code == 202
    assert response.json() == {"inserted": 2}
    table, rows = mock_clickhouse_client.insert.call_args.args
    assert table == "agent_events"
    assert {row["user_id"] for row in rows} == {test_user["id"]}
    stored = mock_clickhouse_client.server.tables["agent_events"]
    assert [row["name"] for row in stored] == ["opened", "closed"]


def test_summary_from_clickhouse_rows(client, auth_headers, mock_clickhouse_client):
    body = client.get("/analytics/summary", headers=auth_headers).json()
    assert sum(agent["runs"] for agent in body["agents"]) == 30
    sql = mock_clickhouse_client.query.call_args.args[0]
    assert "FROM agent_runs" in sql and body["user_id"] in sql


def test_summary_empty_for_new_user(client, auth_headers_v2):
    assert client.get("/analytics/summary", headers=auth_headers_v2).json()["agents"] == []


def test_clickhouse_failure_surfaces_as_500(app, auth_headers, mock_clickhouse_client):
    from fastapi.testclient import TestClient

    mock_clickhouse_client.server.fail_next = "Code: 159. Timeout exceeded"
    with TestClient(app, raise_server_exceptions=False) as lenient:
        assert lenient.get("/analytics/summary", headers=auth_headers).status_code == 500


def test_session_lifecycle(client, auth_headers, mock_redis_manager):
    created = client.post("/sessions", json={"theme": "dark"}, headers=auth_headers)
    assert created.status_code == 201
    session_id = created.json()["session_id"]
    fetched = client.get(f"/sessions/{session_id}", headers=auth_headers).json()
    assert_json_subset({"data": {"theme": "dark"}}, fetched)
    # The app uses its own RedisSessionManager on the same client; the spy can read it.
    assert mock_redis_manager.get_session(session_id) == fetched


def test_sessions_are_private(client, auth_headers, auth_headers_v2):
    session_id = client.post("/sessions", headers=auth_headers).json()["session_id"]
    assert client.get(f"/sessions/{session_id}", headers=auth_headers_v2).status_code == 404


def test_session_touch_extends_ttl(client, auth_headers, mock_redis_client, frozen_clock, test_settings):
    session_id = client.post("/sessions", headers=auth_headers).json()["session_id"]
    frozen_clock.advance(test_settings.session_ttl_seconds - 5)
    client.get(f"/sessions/{session_id}", headers=auth_headers)
    assert mock_redis_client.ttl(f"session:{session_id}") == test_settings.session_ttl_seconds


def test_missing_session_is_404(client, auth_headers):
    assert client.get("/sessions/deadbeef", headers=auth_headers).status_code == 404


@pytest.mark.parametrize(
    ("path", "method"),
    [("/sessions", "post"), ("/runs/last", "get"), ("/analytics/summary", "get")],
    ids=["sessions", "last-run", "analytics"],
)
def test_unconfigured_services_are_503(db_sessionmaker, test_settings, auth_headers, path, method):
    from fastapi.testclient import TestClient

    from supervisor_service.app import create_app

    bare = create_app(test_settings, db_sessionmaker=db_sessionmaker)
    with TestClient(bare) as http:
        assert getattr(http, method)(path, headers=auth_headers).status_code == 503


def test_fake_server_type(mock_clickhouse_client):
    assert isinstance(mock_clickhouse_client.server, FakeClickHouseServer)
