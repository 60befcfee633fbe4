"""Computed and literal ``getfixturevalue`` lookups."""

import pytest


def test_backend_round_trip(backend, request):
    assert backend.kind == request.node.callspec.params["backend"]
    backend.put("answer", "42")
    assert backend.get("answer") == "42"
    assert backend.get("missing") is None


def test_backend_is_the_named_fixture_instance(backend, request):
    # getfixturevalue caches per test: the dispatched object IS backend_<param>.
    name = f"backend_{request.node.callspec.params['backend']}"
    assert request.getfixturevalue(name) is backend


def test_app_config_literal_lookup(app_config, feature_flags):
    assert app_config["flags"] is feature_flags
    assert app_config["flags"]["new_ui"] is True


def test_direct_lookup_in_test(request):
    memory = request.getfixturevalue("backend_memory")
    assert request.getfixturevalue("backend_memory") is memory
    assert memory.kind == "memory"


def test_unknown_name_raises(request):
    with pytest.raises(pytest.FixtureLookupError):
        request.getfixturevalue("backend_postgres")
