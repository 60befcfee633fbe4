"""Tests that run when the optional modules in requirements.txt are installed."""

import importlib.util


def test_feature_flags_match_reality(optional_features):
    for module in ("numpy", "yaml", "orjson"):
        assert optional_features[module] is (importlib.util.find_spec(module) is not None)


def test_array_factory(array_factory):
    arr = array_factory([1, 2, 3])
    assert arr.dtype.name == "float64"
    assert arr.sum() == 6.0


def test_yaml_loader(yaml_loader):
    assert yaml_loader("a: 1\nb: [x, y]\n") == {"a": 1, "b": ["x", "y"]}


def test_json_dumps_always_available(json_dumps):
    assert json_dumps({"a": 1}) == b'{"a":1}'
