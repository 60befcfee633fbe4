import sys


def test_values(values, shape):
    assert len(values) == shape[0] and len(values[0]) == shape[1]


def test_kind(kind):
    assert kind == "float64"


def test_the_conftest_still_has_the_aliases_it_imported():
    """`conftest.ArrayLike` and `conftest.DTypeLike` are numpy's, as before a split."""
    import numpy.typing

    conftest = sys.modules["tests.conftest"]
    assert conftest.ArrayLike is numpy.typing.ArrayLike
    assert conftest.DTypeLike is numpy.typing.DTypeLike
