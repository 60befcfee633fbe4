import pytest


@pytest.fixture
def answer():
    return 42


@pytest.fixture
def doubled(answer):
    return answer * 2
