def test_grid(grid):
    assert grid.sum() == 4.0


def test_the_package_set_numpy_up():
    import numpy

    assert numpy.geterr()["divide"] == "raise"
