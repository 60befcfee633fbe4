import pytest


@pytest.fixture
def star_no_all():
    return "no all"


@pytest.fixture
def _private_star():
    return "private"
