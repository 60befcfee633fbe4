"""Tracks live WebSocket connections per user and fans messages out."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any, Protocol


class SupportsSendJson(Protocol):
    async def send_json(self, data: Any) -> None: ...


class WebSocketManager:
    def __init__(self, *, history_size: int = 100) -> None:
        self._connections: dict[str, list[SupportsSendJson]] = defaultdict(list)
        self.history: deque[tuple[str, dict]] = deque(maxlen=history_size)

    async def connect(self, user_id: str, websocket: Any, *, accept: bool = True) -> None:
        if accept and hasattr(websocket, "accept"):
            await websocket.accept()
        self._connections[user_id].append(websocket)

    async def disconnect(self, user_id: str, websocket: Any) -> None:
        sockets = self._connections.get(user_id, [])
        if websocket in sockets:
            sockets.remove(websocket)
        if not sockets:
            self._connections.pop(user_id, None)

    async def send_to_user(self, user_id: str, message: dict[str, Any]) -> int:
        delivered = 0
        for websocket in list(self._connections.get(user_id, [])):
            try:
                await websocket.send_json(message)
            except Exception:  # noqa: BLE001 - a dead socket must not break the others
                await self.disconnect(user_id, websocket)
                continue
            delivered += 1
        self.history.append((user_id, message))
        return delivered

    async def broadcast(self, message: dict[str, Any]) -> int:
        delivered = 0
        for user_id in list(self._connections):
            delivered += await self.send_to_user(user_id, message)
        return delivered

    def connection_count(self, user_id: str | None = None) -> int:
        if user_id is not None:
            return len(self._connections.get(user_id, []))
        return sum(len(sockets) for sockets in self._connections.values())

    def connected_users(self) -> list[str]:
        return sorted(self._connections)
