from .. import conftest
from ..conftest import TAX_RATE, make_order


def test_helper_and_constant(orders):
    assert [o.gross for o in orders] == [12.0, 6.0]
    assert make_order(1.0).gross == 1 + TAX_RATE


def test_the_module_pytest_loaded():
    assert conftest.__name__.endswith(".conftest") and conftest.TAX_RATE == 0.2
