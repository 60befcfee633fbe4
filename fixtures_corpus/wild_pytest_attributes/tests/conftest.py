"""A conftest whose module attributes pytest reads while collecting."""

import sys

import pytest

collect_ignore = ["test_ignored_by_list.py"]
if sys.version_info >= (3, 0):
    collect_ignore.append("test_ignored_conditionally.py")
collect_ignore_glob = ["*_by_glob.py"]

pytestmark = pytest.mark.usefixtures("answer")


@pytest.fixture
def answer():
    """A cheap fixture."""
    return 42


@pytest.fixture
def greeting():
    return "hello"
