"""A conftest that star-imports the project's fixture package."""

import pytest

from tests.fixtures import *  # noqa: F401,F403

CURRENCY = "EUR"


@pytest.fixture
def currency():
    return CURRENCY


@pytest.fixture
def invoice(orders, currency):
    return {"lines": orders, "currency": currency}
