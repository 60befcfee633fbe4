"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
"""

import pytest


@pytest.fixture
def page_titles():
    """Cheap data: the title each page should show."""
    return {"/": "home", "/docs": "docs"}
