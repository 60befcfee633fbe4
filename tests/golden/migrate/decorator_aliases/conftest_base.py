"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import itertools

import pytest
import pytest as pt
from pytest import fixture

# Monotonic build counters: a fixture that records ``next(...)`` in its value
# lets tests prove how often it was (re)built, i.e. that its scope is intact.
_SETTINGS_BUILDS = itertools.count(1)
_MODULE_BUILDS = itertools.count(1)

# Teardown bookkeeping for the module-scoped ``module_alias`` fixture.
TEARDOWN_LOG: list[str] = []


@pytest.fixture
def plain_decorator():
    """Bare ``@pytest.fixture`` (no call)."""
    return {"style": "bare"}


@pytest.fixture()
def called_decorator(plain_decorator):
    """``@pytest.fixture()`` with an empty call; depends on the bare one."""
    return {"style": "called", "base": plain_decorator}


@fixture
def imported_name():
    """``from pytest import fixture`` then bare ``@fixture``."""
    return "imported"


@fixture(scope="class")
def imported_name_with_args(request):
    """``@fixture(...)`` with arguments; class scoped."""
    return {
        "scope": request.scope,
        "cls": request.cls.__name__ if request.cls else None,
    }


@pt.fixture(scope="module")
def module_alias(request):
    """``import pytest as pt`` then ``@pt.fixture(scope="module")``.

    Yields a mutable resource; its teardown is recorded in ``TEARDOWN_LOG``.
    """
    resource = {
        "opened": True,
        "build": next(_MODULE_BUILDS),
        "module": request.module.__name__,
        "teardowns_before": list(TEARDOWN_LOG),
    }
    yield resource
    resource["opened"] = False
    TEARDOWN_LOG.append(request.module.__name__)


def _counter_impl():
    """Undecorated implementation; registered below as the ``counter`` fixture."""
    return itertools.count(1)


# ``name = pytest.fixture()(fn)``: the fixture is registered as ``counter``
# (the attribute name), not as ``_counter_impl``.
counter = pytest.fixture()(_counter_impl)


def _settings_impl():
    """Session-wide settings; built exactly once per test process."""
    return {"env": "test", "build": next(_SETTINGS_BUILDS), "retries": 3}


# Decorator call with arguments, applied to a plain function.
settings = pytest.fixture(scope="session")(_settings_impl)


def _direct_impl(settings):
    """Fixture function that itself requests another call-form fixture."""
    return f"{settings['env']}-direct"


# ``pytest.fixture(fn)`` -- the decorator called directly with the function.
direct_call = pytest.fixture(_direct_impl)


@pt.fixture(name="aliased_and_renamed")
def _renamed_impl(counter, imported_name):
    """``pt.fixture`` combined with ``name=``: registered as ``aliased_and_renamed``."""
    return (imported_name, next(counter))
