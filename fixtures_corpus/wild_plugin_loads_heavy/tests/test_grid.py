def test_grid(grid, row):
    assert grid.sum() == 4.0 and row.tolist() == [0, 1, 2]
