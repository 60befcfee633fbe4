import tests.conftest
import tests.conftest as c
from tests import conftest


def test_attribute_call(client):
    assert conftest.helper(1) == "helped:1"
    assert client.url("users") == "http://localhost/v2/users"


def test_alias_and_constants():
    assert c.API_VERSION == "v2"
    assert c.TIMEOUTS["read"] == 10


def test_dotted_name():
    assert tests.conftest.Client("x").url("y") == "x/v2/y"


def test_relative_import_in_a_function():
    from . import conftest as here

    assert here.heavy_helper(4) == 6


def test_getattr_with_a_literal():
    assert getattr(conftest, "only_by_getattr")() == "got"


def test_matrix(matrix):
    assert matrix.shape == (2, 2)


def test_monkeypatching_a_conftest_global(monkeypatch, client):
    monkeypatch.setattr(conftest, "API_VERSION", "v3")
    assert client.url("users") == "http://localhost/v3/users"


def test_monkeypatching_by_dotted_path(monkeypatch):
    monkeypatch.setattr("tests.conftest.TIMEOUTS", {"read": 1})
    assert conftest.read_timeout() == 1
