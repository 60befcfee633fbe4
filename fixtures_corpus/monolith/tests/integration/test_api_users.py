"""User endpoints through the FastAPI app (TestClient)."""

from __future__ import annotations

import pytest

from tests.conftest import DEFAULT_TEST_USER_ID, bearer_headers


def test_health_reports_services(client, mock_redis_client, mock_clickhouse_client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["env"] == "test"
    assert body["services"] == {"redis": True, "clickhouse": True, "database": True}
    mock_redis_client.ping.assert_called_once()
    mock_clickhouse_client.ping.assert_called_once()


@pytest.mark.parametrize("failing", ["redis", "clickhouse"])
def test_health_degrades_when_a_dependency_fails(client, mock_redis_client, mock_clickhouse_client, failing):
    if failing == "redis":
        mock_redis_client.ping.side_effect = ConnectionError("redis down")
    else:
        mock_clickhouse_client.ping.side_effect = None
        mock_clickhouse_client.ping.return_value = False
    body = client.get("/health").json()
    assert body["status"] == "degraded"
    assert body["services"][failing] is False


def test_me_returns_authenticated_user(client, test_user, auth_headers):
    response = client.get("/users/me", headers=auth_headers)
    assert response.status_code == 200
    assert response.json() == {k: test_user[k] for k in ("id", "email", "display_name", "role")}


def test_v2_user_sees_only_itself(client, test_user, test_user_v2, auth_headers_v2):
    assert client.get("/users/me", headers=auth_headers_v2).json()["id"] == test_user_v2["id"]
    assert client.get(f"/users/{test_user['id']}", headers=auth_headers_v2).status_code == 403


def test_create_user_then_issue_token(client, user_factory):
    data = user_factory.build()
    created = client.post("/users", json=data)
    assert created.status_code == 201
    token = client.post("/auth/token", json={"user_id": data["id"]}).json()["access_token"]
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == data["email"]


def test_duplicate_user_conflicts(client, test_user):
    response = client.post("/users", json={"id": "another", "email": test_user["email"]})
    assert response.status_code == 409


def test_token_for_unknown_user_is_404(client):
    assert client.post("/auth/token", json={"user_id": "ghost"}).status_code == 404


@pytest.mark.parametrize("email", ["not-an-email", "", "two@@example.com", "spaces in@example.com"])
def test_invalid_email_is_422(client, email):
    assert client.post("/users", json={"id": "x", "email": email}).status_code == 422


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer garbage"}, {"Authorization": "Token abc"}, bearer_headers("u", secret="wrong")],
    ids=["missing", "garbage", "wrong-scheme", "wrong-secret"],
)
def test_unauthenticated_requests_are_401(client, headers):
    assert client.get("/users/me", headers=headers).status_code == 401


def test_role_access_matrix(client, test_user, user_factory, user_role):
    caller = user_factory.build(role=user_role)
    assert client.post("/users", json=caller).status_code == 201
    response = client.get(f"/users/{test_user['id']}", headers=bearer_headers(caller["id"]))
    assert response.status_code == (200 if user_role == "admin" else 403)


def test_token_for_deleted_user_is_404_on_me(client, test_settings):
    headers = bearer_headers("never-created", secret=test_settings.secret_key)
    assert client.get("/users/me", headers=headers).status_code == 404


def test_default_user_id_constant_matches_fixture(test_user):
    assert test_user["id"] == DEFAULT_TEST_USER_ID
