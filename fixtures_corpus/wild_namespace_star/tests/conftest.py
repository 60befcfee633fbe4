"""A conftest that star-imports fixtures from a namespace subpackage (no ``__init__.py``)."""

import pytest

from .fixtures.api import *  # noqa: F401,F403

BASE_URL = "https://example.test"


@pytest.fixture
def base_url():
    return BASE_URL


@pytest.fixture
def request_for(api_client, base_url):
    return api_client(f"{base_url}/users")
