"""Local pytest plugin loaded through ``pytest_plugins`` in the root conftest."""

import pytest


class FakeClock:
    """Manually advanced clock."""

    def __init__(self, start=1_000.0):
        self.now = start

    def advance(self, seconds):
        self.now += seconds
        return self.now


@pytest.fixture
def api_base_url():
    """Base URL of the API under test (overridden by the root conftest)."""
    return "https://api.example.test/"


@pytest.fixture
def default_headers():
    """Plugin default headers (overridden by the root conftest)."""
    return {"Accept": "application/json"}


@pytest.fixture
def fake_clock():
    return FakeClock()


@pytest.fixture
def make_request(api_base_url, default_headers):
    """Build request dicts against whichever ``api_base_url`` is active."""

    def _make(path, method="GET", **headers):
        return {
            "method": method,
            "url": api_base_url.rstrip("/") + "/" + path.lstrip("/"),
            "headers": {**default_headers, **headers},
        }

    return _make
