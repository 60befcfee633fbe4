def test_label(label):
    assert label == "light"
