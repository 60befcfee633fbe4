"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import os

import pytest

from envapp.app import create_app  # noqa: E402


@pytest.fixture
def region():
    """The region the test settings name."""
    return os.environ["ENVAPP_REGION"]


@pytest.fixture
def order_amounts():
    return [12.5, 7.5, 30.0]


@pytest.fixture
def app(order_amounts):
    """The application on an in-memory database, with a few orders."""
    application = create_app()
    for amount in order_amounts:
        application.add_order(amount)
    yield application
    application.engine.dispose()
