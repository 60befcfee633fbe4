"""Fixtures defined in the root conftest on top of the plugin."""

import sys


def test_plugin_registered(request):
    plugin = request.config.pluginmanager.get_plugin("helpers_plugin")
    assert plugin is sys.modules["helpers_plugin"]


def test_auth_token_uses_plugin_clock(auth_token, fake_clock):
    assert auth_token["expires_at"] == fake_clock.now + 60


def test_authed_request(authed_request):
    req = authed_request("me")
    assert req["url"] == "https://api.example.test/v2/me"
    assert req["headers"]["Authorization"] == "Bearer secret-token"
    assert req["headers"]["User-Agent"] == "corpus-tests/1.0"
