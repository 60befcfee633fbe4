"""Fixtures created via globals(), exec and setattr are registered normally."""

import pytest

_SEEN_A = []


def test_dyn_a(dyn_a):
    _SEEN_A.append(dyn_a)
    assert dyn_a == {"suffix": "a", "value": 1, "scope": "module"}


def test_dyn_a_module_scoped(dyn_a):
    _SEEN_A.append(dyn_a)
    assert all(seen is dyn_a for seen in _SEEN_A)


def test_dyn_b(dyn_b):
    assert dyn_b["suffix"] == "b"
    assert dyn_b["value"] == 2


def test_exec_fixture(exec_fixture):
    assert exec_fixture == "made-by-exec"


def test_late_bound(late_bound):
    assert late_bound == ["late", "bound"]


def test_impl_names_are_not_fixtures(request):
    for name in ("_late_bound_impl", "_dynamic", "_make_dynamic"):
        with pytest.raises(pytest.FixtureLookupError):
            request.getfixturevalue(name)
