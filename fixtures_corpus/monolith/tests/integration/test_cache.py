"""RedisSessionManager / RedisCache against the mocked redis client."""

from __future__ import annotations

import json

import pytest

from supervisor_service.cache import RedisCache, RedisSessionManager


def test_mock_client_behaves_like_redis(mock_redis_client):
    assert mock_redis_client.set("k", "v", ex=10) is True
    assert mock_redis_client.get("k") == b"v"
    assert mock_redis_client.ttl("k") == 10
    assert mock_redis_client.delete("k", "missing") == 1
    assert mock_redis_client.get("k") is None
    mock_redis_client.set.assert_called_once_with("k", "v", ex=10)


def test_mock_client_respects_spec(mock_redis_client):
    with pytest.raises(AttributeError):
        mock_redis_client.not_a_redis_command()


def test_keys_expire_with_the_clock(mock_redis_client, frozen_clock):
    mock_redis_client.set("k", "v", ex=5)
    frozen_clock.advance(4.9)
    assert mock_redis_client.get("k") == b"v"
    frozen_clock.advance(0.2)
    assert mock_redis_client.get("k") is None
    assert mock_redis_client.ttl("k") == -2


def test_session_roundtrip(mock_redis_manager):
    session_id = mock_redis_manager.create_session("u1", {"theme": "dark"})
    assert mock_redis_manager.get_session(session_id) == {"user_id": "u1", "data": {"theme": "dark"}}
    mock_redis_manager.create_session.assert_called_once_with("u1", {"theme": "dark"})


def test_session_uses_configured_ttl(mock_redis_manager, mock_redis_client, test_settings):
    session_id = mock_redis_manager.create_session("u1")
    _, kwargs = mock_redis_client.set.call_args
    assert kwargs == {"ex": test_settings.session_ttl_seconds}
    assert mock_redis_client.ttl(f"session:{session_id}") == mock_redis_manager.ttl_seconds


def test_touch_slides_expiry(mock_redis_manager, mock_redis_client, frozen_clock):
    session_id = mock_redis_manager.create_session("u1")
    frozen_clock.advance(mock_redis_manager.ttl_seconds - 1)
    assert mock_redis_manager.touch(session_id) is True
    frozen_clock.advance(mock_redis_manager.ttl_seconds - 1)
    assert mock_redis_manager.get_session(session_id) is not None
    mock_redis_client.expire.assert_called_once()


def test_expired_session_is_gone(mock_redis_manager, frozen_clock):
    session_id = mock_redis_manager.create_session("u1")
    frozen_clock.advance(mock_redis_manager.ttl_seconds + 1)
    assert mock_redis_manager.get_session(session_id) is None
    assert mock_redis_manager.touch(session_id) is False


def test_delete_session(mock_redis_manager):
    session_id = mock_redis_manager.create_session("u1")
    assert mock_redis_manager.delete_session(session_id) is True
    assert mock_redis_manager.delete_session(session_id) is False


@pytest.mark.parametrize("subscribers", [0, 1, 3])
def test_publish_returns_receiver_count(mock_redis_client, subscribers):
    mock_redis_client.backend.subscribers["runs:u1"] = subscribers
    manager = RedisSessionManager(mock_redis_client)
    assert manager.publish_event("runs:u1", {"b": 1, "a": 2}) == subscribers
    channel, payload = mock_redis_client.backend.published[-1]
    assert channel == "runs:u1" and payload == json.dumps({"a": 2, "b": 1})


def test_cache_get_or_set_counts_hits(redis_cache):
    calls = []

    def compute():
        calls.append(1)
        return {"answer": 42}

    assert redis_cache.get_or_set("q", compute) == {"answer": 42}
    assert redis_cache.get_or_set("q", compute) == {"answer": 42}
    assert len(calls) == 1
    assert (redis_cache.hits, redis_cache.misses) == (1, 1)


def test_cache_uses_prefix_and_default_ttl(redis_cache, mock_redis_client):
    redis_cache.set_json("k", [1, 2])
    mock_redis_client.set.assert_called_once_with("test-cache:k", "[1, 2]", ex=30)


def test_cache_decodes_str_values(mock_redis_client):
    mock_redis_client.get.side_effect = None
    mock_redis_client.get.return_value = '{"x": 1}'
    assert RedisCache(mock_redis_client).get_json("any") == {"x": 1}
