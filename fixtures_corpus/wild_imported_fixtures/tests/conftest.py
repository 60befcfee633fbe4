"""Fixtures imported from another module are registered from this conftest."""

import pytest

from shared_plugin import _named_value_impl, reexported_fixture, shared_fixture
from shared_plugin import renamed_source as renamed_fixture
from shared_plugin import unused_helper
from shared_plugin.with_all import *  # noqa: F403
from shared_plugin.without_all import *  # noqa: F403

__all__ = ["shared_fixture", "reexported_fixture"]

shared_again = shared_fixture


@pytest.fixture
def local_fixture(shared_fixture, reexported_fixture):
    return f"{shared_fixture}+{reexported_fixture['re']}+{unused_helper()}"
