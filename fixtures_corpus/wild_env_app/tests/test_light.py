"""Unit tests that need no application: collecting them should not import it."""


def test_region_comes_from_the_test_settings(region):
    assert region == "eu-test"


def test_amounts_add_up(order_amounts):
    assert sum(order_amounts) == 50.0
