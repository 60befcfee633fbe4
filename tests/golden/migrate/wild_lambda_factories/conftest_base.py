"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


def _make(v):
    return pytest.fixture(lambda: v)


def _make_scoped(v, scope="function", name=None):
    return pytest.fixture(lambda: v, scope=scope, name=name)


def _make_derived(base):
    return pytest.fixture(scope="function")(
        lambda request: request.getfixturevalue(base) * 2
    )


def _wrap(function):
    return pytest.fixture(function)


def _pair(answer_fxt, direct):
    return (answer_fxt, direct)


answer_fxt = _make(42)
session_value = _make_scoped("shared", scope="session")
renamed_attribute = _make_scoped([1, 2], name="numbers")
doubled = _make_derived("answer_fxt")
direct = pytest.fixture(lambda answer_fxt: answer_fxt + 1)
pair = _wrap(_pair)


@pytest.fixture
def total(answer_fxt, doubled, direct, numbers):
    return answer_fxt + doubled + direct + sum(numbers)
