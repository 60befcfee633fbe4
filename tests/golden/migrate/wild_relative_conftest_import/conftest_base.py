"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

TAX_RATE = 0.2


class Order:
    def __init__(self, net):
        self.net = net

    @property
    def gross(self):
        return round(self.net * (1 + TAX_RATE), 2)


def make_order(net=10.0):
    return Order(net)


@pytest.fixture
def order():
    return make_order()


@pytest.fixture
def orders(order):
    return [order, make_order(5.0)]
