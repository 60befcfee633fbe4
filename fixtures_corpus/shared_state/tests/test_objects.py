"""Class attributes and module-level instances are shared too."""


def test_counter_class_attribute(counter, counter_class):
    assert type(counter) is counter_class
    assert counter.number == counter_class.instances


def test_counter_counts_across_tests(counter, counter_class):
    # Every test requesting ``counter`` created one instance of the same class.
    assert counter_class.instances >= 1
    assert counter.number == counter_class.instances


def test_hub_is_singleton(hub, hub_with_cache, registry):
    assert hub_with_cache is hub
    assert registry["hub:cache"] is hub.services["cache"]


def test_hub_cleanup(hub):
    assert "cache" not in hub.services
