"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
"""

import pytest

from .conftest_base import _provide, determine_scope


@pytest.fixture(scope=determine_scope)
def expensive_service(request):
    """Scope decided at collection time by ``determine_scope``."""
    yield from _provide("expensive_service", request)


@pytest.fixture(scope="session")
def per_session(request):
    """One instance for the whole run (per xdist worker)."""
    yield from _provide("per_session", request)
