"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

from shop.cart import Cart
from shop.typing import Cents, Sku

PRICES = {"apple": 30, "pear": 45}


@pytest.fixture
def price_list():
    return {Sku(name): Cents(price) for name, price in PRICES.items()}


@pytest.fixture
def cart(price_list):
    cart = Cart()
    for sku, price in price_list.items():
        cart.add(sku, price)
    return cart
