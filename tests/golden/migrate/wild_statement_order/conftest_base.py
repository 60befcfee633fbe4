"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
"""

import pytest

TAGS = ("unit",)
TAGS += ("fast",)


class Config:
    """Options the suite reads."""

    debug = False


@pytest.fixture
def tags():
    return TAGS
