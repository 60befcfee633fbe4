"""Fixtures of a shop whose package has its own ``typing`` module."""

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
