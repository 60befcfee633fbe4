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


# -- splitter: generated, maintained by `splitter sync`. Runs conftest_loader.py,
# which loads the split modules, and binds their fixtures here (visibility kept).
def _load_split():
    import importlib.util
    import os
    import sys

    name = f"{__package__}.conftest_loader" if __package__ else "conftest_loader"
    path = os.path.join(os.path.dirname(__file__), "conftest_loader.py")
    spec = importlib.util.spec_from_file_location(name, path)
    sys.modules[name] = loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    return loader.CONFTEST_NAMES


globals().update(_load_split())

from .conftest_base import _late_bound_impl, _make_dynamic

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


setattr(sys.modules[__name__], "late_bound", pytest.fixture(_late_bound_impl))


@pytest.fixture
def tripled_total(dynamic_total):
    """Uses the exec-defined helper ``_triple`` at runtime."""
    return _triple(dynamic_total)  # noqa: F821 - defined by exec above
