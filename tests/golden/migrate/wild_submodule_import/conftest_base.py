"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

from ledger import labels, models


@pytest.fixture
def ledger_total():
    return models.total()


@pytest.fixture
def currency():
    return labels.CURRENCY
