"""Fixtures of the ledger application; the submodules come in through `from ledger import …`."""

import pytest

from ledger import labels, models


@pytest.fixture
def ledger_total():
    return models.total()


@pytest.fixture
def currency():
    return labels.CURRENCY
