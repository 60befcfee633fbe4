"""Agent runs through the HTTP API: persistence, cache, pub/sub, isolation."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AGENT_NAMES, SAMPLE_MESSAGES


def test_list_agents(client):
    assert set(AGENT_NAMES) <= set(client.get("/agents").json()["agents"])


def test_run_each_agent(client, auth_headers, agent_name):
    response = client.post(f"/agents/{agent_name}/runs", json={"input": SAMPLE_MESSAGES[1]}, headers=auth_headers)
    assert response.status_code == 200
    body = response.json()
    assert body["agent_name"] == agent_name
    assert body["status"] == "completed"
    assert body["events"] == ["agent_started", "agent_completed"]


def test_unknown_agent_is_404(client, auth_headers):
    assert client.post("/agents/nope/runs", json={}, headers=auth_headers).status_code == 404


def test_runs_are_persisted_per_user(client, auth_headers, auth_headers_v2):
    for text in ("a", "b"):
        client.post("/agents/echo/runs", json={"input": text, "thread_id": "thread_main"}, headers=auth_headers)
    client.post("/agents/echo/runs", json={"input": "other"}, headers=auth_headers_v2)
    mine = client.get("/runs", headers=auth_headers).json()["runs"]
    theirs = client.get("/runs", headers=auth_headers_v2).json()["runs"]
    assert [r["thread_id"] for r in mine] == ["thread_main", "thread_main"]
    assert len(theirs) == 1
    assert {r["user_id"] for r in mine}.isdisjoint({r["user_id"] for r in theirs})


def test_runs_filter_by_thread(client, auth_headers):
    client.post("/agents/echo/runs", json={"thread_id": "t1"}, headers=auth_headers)
    client.post("/agents/echo/runs", json={"thread_id": "t2"}, headers=auth_headers)
    runs = client.get("/runs", params={"thread_id": "t2"}, headers=auth_headers).json()["runs"]
    assert [r["thread_id"] for r in runs] == ["t2"]


def test_failed_run_is_recorded(client, auth_headers):
    body = client.post("/agents/failing/runs", json={}, headers=auth_headers).json()
    assert body["status"] == "failed" and body["error"] == "agent failed"
    runs = client.get("/runs", headers=auth_headers).json()["runs"]
    assert runs[-1]["status"] == "failed"


def test_last_run_is_cached_in_redis(client, auth_headers, test_user, mock_redis_client):
    assert client.get("/runs/last", headers=auth_headers).status_code == 404
    run = client.post("/agents/summarizer/runs", json={"input": "cache me please"}, headers=auth_headers).json()
    assert client.get("/runs/last", headers=auth_headers).json()["run_id"] == run["run_id"]
    cached = json.loads(mock_redis_client.backend.data[f"cache:last_run:{test_user['id']}"])
    assert cached["output"] == run["output"]


def test_run_completion_is_published(client, auth_headers, test_user, mock_redis_client):
    run = client.post("/agents/echo/runs", json={"input": "x"}, headers=auth_headers).json()
    channel, payload = mock_redis_client.backend.published[-1]
    assert channel == f"runs:{test_user['id']}"
    assert json.loads(payload) == {"run_id": run["run_id"], "status": "completed"}


def test_users_do_not_see_each_others_cache(client, auth_headers, auth_headers_v2):
    client.post("/agents/echo/runs", json={"input": "mine"}, headers=auth_headers)
    assert client.get("/runs/last", headers=auth_headers_v2).status_code == 404


async def test_async_client_runs_agent(async_http_client, auth_headers):
    response = await async_http_client.post("/agents/classifier/runs", json={"input": "refund"}, headers=auth_headers)
    assert response.status_code == 200
    assert response.json()["output"]["label"] == "billing"


async def test_async_client_health(async_http_client):
    response = await async_http_client.get("/health")
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("count", [1, 5])
async def test_async_client_sequential_runs(async_http_client, auth_headers, count):
    for i in range(count):
        await async_http_client.post("/agents/echo/runs", json={"input": str(i)}, headers=auth_headers)
    runs = (await async_http_client.get("/runs", headers=auth_headers)).json()["runs"]
    assert len(runs) == count
