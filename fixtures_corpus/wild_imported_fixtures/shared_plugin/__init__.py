"""A package of reusable fixtures, imported by the conftest (not a pytest plugin)."""

import pytest

from .impl import reexported_fixture, unused_helper

__all__ = ["shared_fixture", "reexported_fixture", "unused_helper"]


@pytest.fixture
def shared_fixture():
    return "shared"


@pytest.fixture(name="named_value")
def _named_value_impl(shared_fixture):
    return shared_fixture + "-named"


@pytest.fixture
def renamed_source():
    return "renamed"
