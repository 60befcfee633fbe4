"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import itertools

import pytest


def make_fixture(value, scope="function"):
    """Return a fixture that provides ``value``.

    The fixture is registered under whatever module attribute it is bound
    to -- every fixture built here has the function name ``_f``.
    """

    @pytest.fixture(scope=scope)
    def _f():
        return value

    return _f


def make_derived_fixture(base_name, transform):
    """Return a fixture computing ``transform(<fixture base_name>)`` lazily."""

    @pytest.fixture
    def _f(request):
        return transform(request.getfixturevalue(base_name))

    return _f


# Fixtures produced by the factories above.
alpha = make_fixture(1)
beta = make_fixture({"name": "beta"}, scope="module")
gamma = make_fixture(["g1", "g2"], scope="session")
alpha_doubled = make_derived_fixture("alpha", lambda value: value * 2)


# --- "factory as fixture" -------------------------------------------------

# The fake "database": user id -> user, shared by every factory instance.
USER_DB = {}
_USER_IDS = itertools.count(1)


class User:
    def __init__(self, name, email, admin):
        self.id = next(_USER_IDS)
        self.name = name
        self.email = email
        self.admin = admin
        self.deleted = False

    def delete(self):
        self.deleted = True
        USER_DB.pop(self.id, None)


@pytest.fixture
def user_db():
    """The shared fake database (to check the factory's cleanup)."""
    return USER_DB


@pytest.fixture
def make_user(user_db):
    """Return ``make_user(**overrides)``; every user it creates is deleted afterwards."""
    created = []

    def _make_user(name="user", email=None, admin=False):
        user = User(name, email or f"{name}@example.test", admin)
        user_db[user.id] = user
        created.append(user)
        return user

    _make_user.created = created
    yield _make_user
    for user in reversed(created):
        user.delete()


@pytest.fixture
def admin_user(make_user):
    """A fixture built on top of the factory fixture."""
    return make_user(name="root", admin=True)
