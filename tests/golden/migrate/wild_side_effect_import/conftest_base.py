"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import os

import pytest

ENV_AFTER_SETUP = os.environ.get("WILD_ENV_READY")


@pytest.fixture
def env_after_setup():
    return ENV_AFTER_SETUP


@pytest.fixture
def answer():
    """A cheap fixture with no environment."""
    return 42
