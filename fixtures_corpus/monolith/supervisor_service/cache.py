"""Redis-backed session manager and JSON cache (redis-py client API)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import redis


class RedisSessionManager:
    """Stores user sessions as JSON blobs with a sliding TTL."""

    def __init__(self, client: redis.Redis, *, prefix: str = "session", ttl_seconds: int = 3600) -> None:
        self.client = client
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds

    def _key(self, session_id: str) -> str:
        return f"{self.prefix}:{session_id}"

    def create_session(self, user_id: str, data: dict[str, Any] | None = None) -> str:
        session_id = uuid.uuid4().hex
        payload = {"user_id": user_id, "data": data or {}}
        self.client.set(self._key(session_id), json.dumps(payload), ex=self.ttl_seconds)
        return session_id

    def get_session(self, session_id: str) -> dict[str, Any] | None:
        raw = self.client.get(self._key(session_id))
        if raw is None:
            return None
        if isinstance(raw, bytes):
            raw = raw.decode()
        return json.loads(raw)

    def touch(self, session_id: str) -> bool:
        return bool(self.client.expire(self._key(session_id), self.ttl_seconds))

    def delete_session(self, session_id: str) -> bool:
        return bool(self.client.delete(self._key(session_id)))

    def publish_event(self, channel: str, event: dict[str, Any]) -> int:
        return int(self.client.publish(channel, json.dumps(event, sort_keys=True)) or 0)


class RedisCache:
    """Small read-through JSON cache."""

    def __init__(self, client: redis.Redis, *, prefix: str = "cache", default_ttl: int = 300) -> None:
        self.client = client
        self.prefix = prefix
        self.default_ttl = default_ttl
        self.hits = 0
        self.misses = 0

    def get_json(self, key: str) -> Any | None:
        raw = self.client.get(f"{self.prefix}:{key}")
        if raw is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(raw.decode() if isinstance(raw, bytes) else raw)

    def set_json(self, key: str, value: Any, ttl: int | None = None) -> None:
        self.client.set(f"{self.prefix}:{key}", json.dumps(value), ex=ttl or self.default_ttl)

    def get_or_set(self, key: str, compute: Callable[[], Any], ttl: int | None = None) -> Any:
        cached = self.get_json(key)
        if cached is not None:
            return cached
        value = compute()
        self.set_json(key, value, ttl)
        return value
