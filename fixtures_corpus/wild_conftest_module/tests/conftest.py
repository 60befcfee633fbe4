"""A conftest whose helpers tests reach through the module itself."""

import numpy

import pytest

API_VERSION = "v2"
TIMEOUTS = {"connect": 3, "read": 10}


class Client:
    def __init__(self, base_url):
        self.base_url = base_url

    def url(self, path):
        return f"{self.base_url}/{API_VERSION}/{path}"


def read_timeout():
    return TIMEOUTS["read"]


def helper(value):
    return f"helped:{value}"


def heavy_helper(size):
    return int(numpy.arange(size).sum())


def only_by_getattr():
    return "got"


@pytest.fixture
def client():
    return Client("http://localhost")


@pytest.fixture
def matrix():
    return numpy.eye(2)
