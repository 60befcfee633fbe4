"""Overrides for the ``sub`` directory (also imported as plain ``conftest``)."""

import pytest


@pytest.fixture
def locale():
    """Full override of the parent ``locale``."""
    return "de_DE"


@pytest.fixture
def greeting(greeting):
    """Extends the parent ``greeting`` (same-name request = parent fixture)."""
    return greeting + "!"
