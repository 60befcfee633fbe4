"""Fixtures coming from the plugin, as seen through the conftest overrides."""

import helpers_plugin


def test_api_base_url_is_overridden(api_base_url):
    assert api_base_url == "https://api.example.test/v2/"


def test_default_headers_fully_overridden(default_headers):
    assert default_headers["User-Agent"] == "corpus-tests/1.0"


def test_plugin_factory_sees_overrides(make_request):
    req = make_request("/users", "POST")
    assert req == {
        "method": "POST",
        "url": "https://api.example.test/v2/users",
        "headers": {"Accept": "application/json", "User-Agent": "corpus-tests/1.0"},
    }


def test_fake_clock_from_plugin(fake_clock):
    assert isinstance(fake_clock, helpers_plugin.FakeClock)
    assert fake_clock.advance(5) == 1_005.0
