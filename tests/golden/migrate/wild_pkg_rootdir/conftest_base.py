"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

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
