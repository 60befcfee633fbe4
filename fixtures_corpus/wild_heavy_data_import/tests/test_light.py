import sys


def test_label(label):
    assert label == "light"


def test_the_conftest_still_has_the_data_it_imported():
    """`conftest.pi` and `conftest.little_endian` are the package's values, as before a split."""
    conftest = sys.modules["tests.conftest"]
    assert round(conftest.pi, 5) == 3.14159
    assert conftest.little_endian in (True, False)
