"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
"""


def helper(value):
    return f"helped:{value}"


def only_by_getattr():
    return "got"
