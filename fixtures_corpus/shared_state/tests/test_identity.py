"""Different fixtures must hand out the very same objects."""


def test_register_writes_into_registry_fixture(register, registry, events):
    marker = object()
    assert register("thing", marker) is marker
    assert registry["thing"] is marker
    assert events[-1] == "registered:thing"


def test_registry_cleared_after_register_teardown(registry):
    assert "thing" not in registry


def test_counter_sequence_is_shared(next_id, id_source):
    first = next_id()
    second = next(id_source)
    third = next_id()
    assert (second, third) == (first + 1, first + 2)


def test_lru_cache_shared(catalog, catalog_again, catalog_cache_info, events):
    assert catalog is catalog_again
    info = catalog_cache_info()
    assert info.currsize == 1
    assert info.hits >= 1
    assert events.count("catalog:loaded") == 1
