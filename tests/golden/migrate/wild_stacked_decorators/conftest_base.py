"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


class Settings:
    mode = "production"


def with_answer(function):
    """Call ``function`` with arguments pytest never sees: it requests ``request`` only."""

    def wrapper(request):
        return function(answer=42, node=request.node.name)

    return wrapper


@pytest.fixture
def uses_all(cwd, settings_snapshot, separator):
    return cwd[0], settings_snapshot[0], separator
