"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
"""

import pytest

API_VERSION = "v2"
TIMEOUTS = {"connect": 3, "read": 10}


class Client:
    def __init__(self, base_url):
        self.base_url = base_url

    def url(self, path):
        return f"{self.base_url}/{API_VERSION}/{path}"


def helper(value):
    return f"helped:{value}"


def only_by_getattr():
    return "got"


@pytest.fixture
def client():
    return Client("http://localhost")
