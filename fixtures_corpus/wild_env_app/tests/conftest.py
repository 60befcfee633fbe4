"""Test settings first, then the application: its import fails without them."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

os.environ["ENVAPP_ENV"] = "test"
os.environ.setdefault("ENVAPP_DATABASE_URL", "sqlite+pysqlite:///:memory:")
os.environ.update({"ENVAPP_SECRET_KEY": "not-a-secret"})
pytest.MonkeyPatch().setenv("ENVAPP_REGION", "eu-test")

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
