"""The conftest of a package that is its own rootdir."""

import pytest

DEFAULT_PRICE = 10


class Item:
    def __init__(self, name, price=DEFAULT_PRICE):
        self.name, self.price = name, price


def make_item(name):
    return Item(name)


@pytest.fixture
def item():
    return make_item("apple")


@pytest.fixture
def basket(item):
    return [item, make_item("pear")]
