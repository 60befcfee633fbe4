"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest


def _make_dynamic(suffix, value):
    def _dynamic(request):
        return {"suffix": suffix, "value": value, "scope": request.scope}

    return _dynamic


# --- setattr on the module object ---------------------------------------------


def _late_bound_impl():
    return ["late", "bound"]


# --- ordinary fixtures depending on the dynamic ones ------------------------


@pytest.fixture
def dynamic_total(dyn_a, dyn_b):
    """Ordinary fixture depending on the loop-created ones."""
    return dyn_a["value"] + dyn_b["value"]


@pytest.fixture
def combined(exec_fixture, late_bound, path_parts):
    """Depends on the exec-, setattr- and star-import-based fixtures."""
    return f"{exec_fixture}:{'-'.join(late_bound)}:{path_parts['base']}"
