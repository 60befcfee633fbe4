"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


@pytest.fixture
def greeting():
    """Text."""
    return "hello"


@pytest.fixture
def shout(greeting):
    """
    Shout the greeting.

    The closing quotes sit on their own line.
    """
    return greeting.upper() + "!"


class Box:
    """A box."""

    def __init__(self, value):
        """Keep ``value``."""
        self.value = value


def make_box(value):
    """Build a box."""
    return Box(value)


@pytest.fixture
def box(shout):
    """A box holding the shout."""
    return make_box(shout)
