"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

BASE_URL = "https://example.test"


@pytest.fixture
def base_url():
    return BASE_URL


@pytest.fixture
def request_for(api_client, base_url):
    return api_client(f"{base_url}/users")
