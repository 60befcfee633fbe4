"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

# Module-level constants that feed ``params=``.
SUPPORTED_FORMATS = ("json", "csv", "xml")
LOG_LEVELS = ["debug", "info", "warning"]
MAX_RETRIES = 3


def _case_id(case):
    """ids= callable: turn an (a, b, expected) tuple into a readable ID."""
    a, b, expected = case
    return f"{a}+{b}={expected}"


@pytest.fixture(params=SUPPORTED_FORMATS)
def file_format(request):
    """Params taken straight from a module-level tuple; IDs are the values."""
    return request.param


@pytest.fixture(params=[0, 1, -1], ids=["zero", "one", "minus-one"])
def number(request):
    """Literal params with an explicit ``ids=[...]`` list."""
    return request.param


@pytest.fixture(params=[(1, 2, 3), (2, 3, 5), (-1, 1, 0)], ids=_case_id)
def addition_case(request):
    """Tuple params with a named ``ids=`` function."""
    return request.param


@pytest.fixture(params=[level.upper() for level in LOG_LEVELS])
def log_level(request):
    """Params computed by a comprehension over a module-level constant."""
    return request.param


@pytest.fixture(params=range(MAX_RETRIES), ids=lambda n: f"attempt{n}")
def retry_attempt(request):
    """``range`` params with a lambda ``ids=``."""
    return request.param


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="lite"),
        pytest.param(
            "postgres", id="pg", marks=pytest.mark.skip(reason="no server in corpus")
        ),
        pytest.param("duckdb", id="duck", marks=pytest.mark.slow),
        "memory",
    ]
)
def backend_name(request):
    """``pytest.param`` entries with ids and marks, mixed with a bare literal."""
    return request.param


class Role:
    """Value object built by the ``user_role`` fixture."""

    PERMISSIONS = {
        "guest": {"read"},
        "editor": {"read", "write"},
        "admin": {"read", "write", "delete"},
    }

    def __init__(self, name):
        self.name = name
        self.permissions = self.PERMISSIONS[name]


@pytest.fixture
def user_role(request):
    """Indirectly parametrizable: tests pass the role name via ``indirect=True``.

    Without parametrization it falls back to the least privileged role.
    """
    return Role(getattr(request, "param", "guest"))


@pytest.fixture(params=[{"size": 1}, {"size": 10}], ids=["small", "large"])
def batch(request, number):
    """Parametrized fixture depending on another parametrized fixture (2 x 3 ids)."""
    return {"size": request.param["size"], "offset": number}
