"""A conftest that imports a module for its side effect."""

import os

import pytest

ENV_BEFORE_SETUP = os.environ.get("WILD_ENV_READY")

import _setup_env  # noqa: F401,E402

ENV_AFTER_SETUP = os.environ.get("WILD_ENV_READY")


@pytest.fixture
def env_before_setup():
    return ENV_BEFORE_SETUP


@pytest.fixture
def env_after_setup():
    return ENV_AFTER_SETUP


@pytest.fixture
def answer():
    """A cheap fixture with no environment."""
    return 42
