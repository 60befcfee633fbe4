"""Tiny ClickHouse HTTP client (JSONEachRow in and out)."""

from __future__ import annotations

import json
from typing import Any

import httpx


class ClickHouseError(RuntimeError):
    pass


class ClickHouseClient:
    def __init__(
        self,
        url: str,
        *,
        database: str = "default",
        user: str | None = None,
        password: str | None = None,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"X-ClickHouse-Database": database}
        if user:
            headers["X-ClickHouse-User"] = user
        if password:
            headers["X-ClickHouse-Key"] = password
        self.database = database
        self._http = httpx.Client(
            base_url=url, headers=headers, timeout=timeout, transport=transport, trust_env=False
        )

    def ping(self) -> bool:
        try:
            response = self._http.get("/ping")
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and response.text.strip() == "Ok."

    def _execute(self, sql: str, body: str | None = None) -> httpx.Response:
        response = self._http.post("/", params={"query": sql}, content=body)
        if response.status_code != 200:
            raise ClickHouseError(f"ClickHouse error {response.status_code}: {response.text.strip()}")
        return response

    def query(self, sql: str) -> list[dict[str, Any]]:
        sql = sql.strip().rstrip(";")
        if "FORMAT" not in sql.upper():
            sql = f"{sql} FORMAT JSONEachRow"
        response = self._execute(sql)
        return [json.loads(line) for line in response.text.splitlines() if line.strip()]

    def insert(self, table: str, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        body = "\n".join(json.dumps(row, sort_keys=True, default=str) for row in rows)
        self._execute(f"INSERT INTO {table} FORMAT JSONEachRow", body)
        return len(rows)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ClickHouseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
