from .conftest import Order


def test_order_class(order):
    assert isinstance(order, Order) and order.gross == 12.0
