"""Bearer token signing and verification."""

from __future__ import annotations

import pytest

from supervisor_service.auth import AuthError, bearer_user_id, create_token, verify_token
from tests.conftest import TEST_SECRET_KEY, bearer_headers, make_auth_token


@pytest.mark.parametrize("user_id", ["u1", "user_test_0001", "üser-ñ", "a|pipe|in|id"])
def test_token_roundtrip(user_id):
    assert verify_token(make_auth_token(user_id), TEST_SECRET_KEY) == user_id


def test_token_factory_uses_settings_secret(auth_token_factory, test_settings):
    token = auth_token_factory("u42")
    assert verify_token(token, test_settings.secret_key) == "u42"


def test_wrong_secret_is_rejected(auth_token_factory):
    token = auth_token_factory("u1", secret="other-secret")
    with pytest.raises(AuthError, match="bad signature"):
        verify_token(token, TEST_SECRET_KEY)


def test_tampered_payload_is_rejected():
    token = make_auth_token("u1")
    payload, signature = token.split(".")
    forged = make_auth_token("admin").split(".")[0]
    with pytest.raises(AuthError):
        verify_token(f"{forged}.{signature}", TEST_SECRET_KEY)
    assert verify_token(f"{payload}.{signature}", TEST_SECRET_KEY) == "u1"


@pytest.mark.parametrize(
    ("age", "max_age", "ok"),
    [(0, 60, True), (59, 60, True), (61, 60, False), (10_000, None, True)],
    ids=["fresh", "just-in-time", "expired", "no-limit"],
)
def test_token_expiry(auth_token_factory, age, max_age, ok):
    token = auth_token_factory("u1", issued_at=1_000_000)
    if ok:
        assert verify_token(token, TEST_SECRET_KEY, max_age=max_age, now=1_000_000 + age) == "u1"
    else:
        with pytest.raises(AuthError, match="expired"):
            verify_token(token, TEST_SECRET_KEY, max_age=max_age, now=1_000_000 + age)


@pytest.mark.parametrize("token", ["", "no-dot", "!!!.???", "a.b.c"], ids=["empty", "no-dot", "garbage", "three-parts"])
def test_malformed_tokens(token):
    with pytest.raises(AuthError):
        verify_token(token, TEST_SECRET_KEY)


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer"], ids=["none", "empty", "basic", "no-token"])
def test_bearer_header_rejections(header):
    with pytest.raises(AuthError):
        bearer_user_id(header, TEST_SECRET_KEY)


def test_bearer_headers_helper():
    headers = bearer_headers("u7")
    assert bearer_user_id(headers["Authorization"], TEST_SECRET_KEY) == "u7"


def test_empty_user_id_cannot_get_token():
    with pytest.raises(AuthError):
        create_token("", TEST_SECRET_KEY)
