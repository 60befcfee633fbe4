"""Tests whose fixtures normally skip (their modules are not installed)."""


def test_fast_json_dumps(fast_json_dumps):
    assert fast_json_dumps({"k": [1, 2]}) == b'{"k":[1,2]}'


def test_toml_writer(toml_writer):
    assert toml_writer({"name": "corpus"}).strip() == 'name = "corpus"'
