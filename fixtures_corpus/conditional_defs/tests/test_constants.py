"""Fixtures fed by constants from environment / version conditionals."""

import os


def test_retry_limit_follows_environment(retry_limit):
    expected = 1 if os.environ.get("CORPUS_FAST_MODE") else 3
    assert retry_limit == expected


def test_timeouts(timeouts, retry_limit):
    assert timeouts["total"] == timeouts["per_try"] * retry_limit
    assert timeouts["per_try"] in (0.5, 5.0)


def test_parse_toml(parse_toml):
    assert parse_toml('name = "corpus"\nsize = 3\n') == {"name": "corpus", "size": 3}
