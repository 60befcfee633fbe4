def test_area(make_circle):
    assert round(make_circle(1.0), 5) == 3.14159


def test_byte_order(byte_order):
    assert byte_order in ("little", "big")


def test_grid(grid):
    assert grid.sum() == 4.0
