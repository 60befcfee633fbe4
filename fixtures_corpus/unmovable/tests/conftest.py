"""Fixtures defined through dynamic, hard-to-analyse module-level code.

Everything here works for pytest (it only inspects the module's attributes
after import), but the names cannot be found by reading ``def`` statements.
"""

import sys
import textwrap
from os.path import *  # noqa: F403 - star import on purpose (join, basename, ...)

import pytest

# --- star import consumer ----------------------------------------------------


@pytest.fixture
def path_parts():
    """Uses ``join``/``basename``/``dirname``/``splitext`` from the star import."""
    full = join("srv", "data", "report.csv")  # noqa: F405
    return {
        "full": full,
        "base": basename(full),  # noqa: F405
        "dir": dirname(full),  # noqa: F405
        "ext": splitext(full)[1],  # noqa: F405
    }


# --- fixtures created in a loop through globals() ---------------------------

DYNAMIC_VALUES = {"a": 1, "b": 2}


def _make_dynamic(suffix, value):
    def _dynamic(request):
        return {"suffix": suffix, "value": value, "scope": request.scope}

    return _dynamic


for _suffix, _value in DYNAMIC_VALUES.items():
    globals()["dyn_" + _suffix] = pytest.fixture(scope="module")(_make_dynamic(_suffix, _value))
del _suffix, _value

# --- exec-defined helper and fixture ----------------------------------------

exec(  # noqa: S102 - deliberate
    textwrap.dedent(
        '''
        def _triple(value):
            return value * 3

        @pytest.fixture
        def exec_fixture():
            return "made-by-exec"
        '''
    ),
    globals(),
)

# --- setattr on the module object ---------------------------------------------


def _late_bound_impl():
    return ["late", "bound"]


setattr(sys.modules[__name__], "late_bound", pytest.fixture(_late_bound_impl))

# --- ordinary fixtures depending on the dynamic ones ------------------------


@pytest.fixture
def dynamic_total(dyn_a, dyn_b):
    """Ordinary fixture depending on the loop-created ones."""
    return dyn_a["value"] + dyn_b["value"]


@pytest.fixture
def tripled_total(dynamic_total):
    """Uses the exec-defined helper ``_triple`` at runtime."""
    return _triple(dynamic_total)  # noqa: F821 - defined by exec above


@pytest.fixture
def combined(exec_fixture, late_bound, path_parts):
    """Depends on the exec-, setattr- and star-import-based fixtures."""
    return f"{exec_fixture}:{'-'.join(late_bound)}:{path_parts['base']}"
