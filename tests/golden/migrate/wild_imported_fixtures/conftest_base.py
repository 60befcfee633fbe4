"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

from shared_plugin import shared_fixture
from shared_plugin import unused_helper

shared_again = shared_fixture


@pytest.fixture
def local_fixture(shared_fixture, reexported_fixture):
    return f"{shared_fixture}+{reexported_fixture['re']}+{unused_helper()}"
