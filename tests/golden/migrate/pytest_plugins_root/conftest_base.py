"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

API_VERSION = "v2"


@pytest.fixture
def api_base_url(api_base_url):
    """Override: append the API version to the plugin's base URL.

    Requesting ``api_base_url`` inside the fixture of the same name gives the
    *plugin's* definition (the next one down the override chain).
    """
    return api_base_url.rstrip("/") + f"/{API_VERSION}/"


@pytest.fixture
def default_headers():
    """Full override (does not build on the plugin version)."""
    return {"Accept": "application/json", "User-Agent": "corpus-tests/1.0"}


@pytest.fixture
def auth_token(fake_clock):
    """Project fixture built on a plugin fixture; expires 60s from 'now'."""
    return {"token": "secret-token", "expires_at": fake_clock.now + 60}


@pytest.fixture
def authed_request(make_request, auth_token):
    """Plugin factory combined with a conftest fixture."""

    def _authed(path, method="GET"):
        return make_request(path, method, Authorization=f"Bearer {auth_token['token']}")

    return _authed
