import typing

import shop.typing


def test_total(cart):
    assert cart.total() == 75


def test_price_list(price_list):
    assert price_list == {"apple": 30, "pear": 45}


def test_the_standard_library_typing_is_not_shadowed():
    assert typing is not shop.typing and hasattr(typing, "NewType")
    assert shop.typing.__name__ == "shop.typing"
