"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import itertools
import os
from collections import defaultdict

import pytest

REUSE_ENV_VAR = "CORPUS_REUSE_RESOURCES"

# Build counters per fixture name (shared by every fixture in this module).
_BUILD_COUNTERS = defaultdict(lambda: itertools.count(1))
# Names of resources torn down so far, in teardown order.
RELEASED = []


def determine_scope(fixture_name, config):
    """Callable scope: session-wide when reuse is requested, else per test."""
    if config.getoption("--reuse-resources", default=False):
        return "session"
    if os.environ.get(REUSE_ENV_VAR) == "1":
        return "session"
    return "function"


class Resource:
    """A value recording where and how often it was built."""

    def __init__(self, name, request):
        self.name = name
        self.scope = request.scope
        self.build = next(_BUILD_COUNTERS[name])
        self.released = False

    def release(self):
        self.released = True
        RELEASED.append(self.name)


def _provide(name, request):
    """Shared body of every fixture below: build, yield, release."""
    resource = Resource(name, request)
    yield resource
    resource.release()


@pytest.fixture(scope=determine_scope)
def expensive_service(request):
    """Scope decided at collection time by ``determine_scope``."""
    yield from _provide("expensive_service", request)


@pytest.fixture(scope="function")
def per_test(request):
    """Explicit ``scope="function"`` (the default, spelled out)."""
    yield from _provide("per_test", request)


@pytest.fixture(scope="class")
def per_class(request):
    """One instance per test class."""
    yield from _provide("per_class", request)


@pytest.fixture(scope="module")
def per_module(request):
    """One instance per test module."""
    yield from _provide("per_module", request)


@pytest.fixture(scope="package")
def per_package(request):
    """One instance for the ``tests`` package (it has an ``__init__.py``)."""
    yield from _provide("per_package", request)


@pytest.fixture(scope="session")
def per_session(request):
    """One instance for the whole run (per xdist worker)."""
    yield from _provide("per_session", request)


@pytest.fixture
def reuse_expected(request):
    """What ``determine_scope`` should have chosen for this run."""
    return bool(
        request.config.getoption("--reuse-resources")
        or os.environ.get(REUSE_ENV_VAR) == "1"
    )


@pytest.fixture
def released_log():
    """Names of resources released so far (teardown order)."""
    return RELEASED
