def test_array(array):
    assert array.tolist() == [0.0, 1.0, 2.0]


def test_doubled(doubled):
    assert doubled.tolist() == [0.0, 2.0, 4.0]


def test_column(column):
    assert column.shape == (2, 1)
