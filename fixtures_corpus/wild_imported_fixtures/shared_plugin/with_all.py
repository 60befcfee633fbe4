import pytest

__all__ = ["starred_public"]


@pytest.fixture
def starred_public():
    return "starred"


@pytest.fixture
def not_in_all():
    return "hidden"
