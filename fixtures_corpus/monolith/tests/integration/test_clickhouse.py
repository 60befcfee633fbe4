"""ClickHouseClient over the fake HTTP server (httpx.MockTransport)."""

from __future__ import annotations

import httpx
import pytest

from supervisor_service.clickhouse import ClickHouseClient, ClickHouseError
from tests.conftest import DEFAULT_TEST_USER_ID, FakeClickHouseServer


def test_ping(mock_clickhouse_client):
    assert mock_clickhouse_client.ping() is True
    mock_clickhouse_client.ping.assert_called_once_with()


def test_query_appends_format(mock_clickhouse_client):
    rows = mock_clickhouse_client.query("SELECT count() FROM agent_runs;")
    assert rows == [{"count()": 30}]
    assert mock_clickhouse_client.server.queries[-1] == "SELECT count() FROM agent_runs FORMAT JSONEachRow"


def test_query_with_filter_and_columns(mock_clickhouse_client):
    rows = mock_clickhouse_client.query(f"SELECT run_id, status FROM agent_runs WHERE user_id = '{DEFAULT_TEST_USER_ID}'")
    assert len(rows) == 30
    assert set(rows[0]) == {"run_id", "status"}


def test_insert_then_select(mock_clickhouse_client):
    rows = [{"user_id": "u9", "name": "click", "value": 1.5}, {"user_id": "u9", "name": "view", "value": 0}]
    assert mock_clickhouse_client.insert("agent_events", rows) == 2
    assert mock_clickhouse_client.query("SELECT * FROM agent_events WHERE user_id = 'u9'") == rows


def test_insert_nothing_skips_request(mock_clickhouse_client):
    before = len(mock_clickhouse_client.server.queries)
    assert mock_clickhouse_client.insert("agent_events", []) == 0
    assert len(mock_clickhouse_client.server.queries) == before


@pytest.mark.parametrize(
    "sql", ["DROP TABLE agent_runs", "SELEC oops"], ids=["unsupported", "syntax-error"]
)
def test_server_errors_raise(mock_clickhouse_client, sql):
    with pytest.raises(ClickHouseError, match="400"):
        mock_clickhouse_client.query(sql)


def test_server_side_failure(mock_clickhouse_client):
    mock_clickhouse_client.server.fail_next = "Code: 241. Memory limit exceeded"
    with pytest.raises(ClickHouseError, match="Memory limit"):
        mock_clickhouse_client.query("SELECT * FROM agent_runs")


def test_headers_carry_database_and_credentials():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        return httpx.Response(200, text="Ok.\n")

    with ClickHouseClient("http://ch", database="db1", user="u", password="p", transport=httpx.MockTransport(handler)) as ch:
        assert ch.ping()
    assert seen["x-clickhouse-database"] == "db1"
    assert seen["x-clickhouse-user"] == "u" and seen["x-clickhouse-key"] == "p"


def test_ping_false_when_unreachable():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    assert ClickHouseClient("http://ch", transport=httpx.MockTransport(handler)).ping() is False


def test_fake_server_seed_is_per_test(clickhouse_server):
    assert isinstance(clickhouse_server, FakeClickHouseServer)
    assert len(clickhouse_server.tables["agent_runs"]) == 30
    assert clickhouse_server.queries == []
