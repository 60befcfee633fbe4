"""End-to-end fixtures: servers, load clients, environment checks (the part that imports httpx).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any
from unittest.mock import MagicMock

import httpx
import pytest
from supervisor_service.clickhouse import ClickHouseClient

if TYPE_CHECKING:
    from collections.abc import Iterator


class FakeClickHouseServer:
    """An ``httpx.MockTransport`` handler speaking a tiny subset of ClickHouse HTTP."""

    _INSERT = re.compile(r"^INSERT INTO (\w+) FORMAT JSONEachRow$", re.I)
    _SELECT = re.compile(
        r"^SELECT (?P<cols>.+?) FROM (?P<table>\w+)"
        r"(?: WHERE (?P<col>\w+) = '(?P<value>[^']*)')?"
        r" FORMAT JSONEachRow$",
        re.I | re.S,
    )

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.queries: list[str] = []
        self.fail_next: str | None = None

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/ping":
            return httpx.Response(200, text="Ok.\n")
        query = request.url.params.get("query", "").strip()
        self.queries.append(query)
        if self.fail_next is not None:
            message, self.fail_next = self.fail_next, None
            return httpx.Response(500, text=message)
        if match := self._INSERT.match(query):
            body = request.content.decode()
            rows = [json.loads(line) for line in body.splitlines() if line.strip()]
            self.tables[match[1]].extend(rows)
            return httpx.Response(200, text="")
        if match := self._SELECT.match(query):
            rows = self.tables.get(match["table"], [])
            if match["col"]:
                rows = [row for row in rows if str(row.get(match["col"])) == match["value"]]
            columns = [c.strip() for c in match["cols"].split(",")]
            if columns == ["count()"]:
                rows = [{"count()": len(rows)}]
            elif columns != ["*"]:
                rows = [{c: row.get(c) for c in columns} for row in rows]
            return httpx.Response(200, text="".join(json.dumps(row) + "\n" for row in rows))
        return httpx.Response(400, text="Code: 62. DB::Exception: Syntax error (fake server)")


@pytest.fixture
def mock_clickhouse_client(clickhouse_server: FakeClickHouseServer) -> Iterator[MagicMock]:
    """A real ClickHouseClient over httpx.MockTransport, wrapped in a spy."""
    real = ClickHouseClient(
        "http://clickhouse.test:8123", database="analytics", transport=httpx.MockTransport(clickhouse_server.handle)
    )
    client = MagicMock(spec=ClickHouseClient, wraps=real, name="ClickHouseClient")
    client.server = clickhouse_server
    client.database = real.database
    yield client
    real.close()
