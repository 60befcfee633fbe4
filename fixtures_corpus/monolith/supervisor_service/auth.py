"""Minimal signed bearer tokens (HMAC-SHA256), good enough for internal APIs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time


class AuthError(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def create_token(user_id: str, secret: str, *, issued_at: int | None = None) -> str:
    if not user_id:
        raise AuthError("user_id is required")
    issued = int(time.time()) if issued_at is None else issued_at
    payload = f"{user_id}|{issued}".encode()
    signature = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


def verify_token(token: str, secret: str, *, max_age: int | None = None, now: int | None = None) -> str:
    """Return the user id carried by ``token`` or raise ``AuthError``."""
    try:
        payload_part, signature_part = token.split(".", 1)
        payload = _unb64(payload_part)
        signature = _unb64(signature_part)
    except (ValueError, TypeError) as exc:
        raise AuthError("malformed token") from exc
    expected = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise AuthError("bad signature")
    user_id, _, issued_text = payload.decode().rpartition("|")
    if max_age is not None:
        current = int(time.time()) if now is None else now
        if current - int(issued_text) > max_age:
            raise AuthError("token expired")
    return user_id


def bearer_user_id(header: str | None, secret: str, *, max_age: int | None = None) -> str:
    if not header or not header.lower().startswith("bearer "):
        raise AuthError("missing bearer token")
    return verify_token(header[7:].strip(), secret, max_age=max_age)
