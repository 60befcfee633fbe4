"""pytest.param marks on fixture params and indirect parametrization."""

import pytest


def test_backend_name(backend_name, request):
    # "pg" is skipped through its mark, so it never reaches the test body.
    assert backend_name != "postgres"
    expected_id = {"sqlite": "lite", "duckdb": "duck", "memory": "memory"}[backend_name]
    assert request.node.callspec.id == expected_id
    is_slow = request.node.get_closest_marker("slow") is not None
    assert is_slow is (backend_name == "duckdb")


def test_default_role_without_indirect(user_role):
    assert user_role.name == "guest"
    assert user_role.permissions == {"read"}


@pytest.mark.parametrize("user_role", ["editor", "admin"], indirect=True)
def test_indirect_role(user_role, request):
    assert user_role.name == request.node.callspec.id
    assert "write" in user_role.permissions


@pytest.mark.parametrize(
    ("user_role", "can_delete"),
    [("guest", False), ("admin", True)],
    indirect=["user_role"],
)
def test_indirect_subset(user_role, can_delete):
    assert ("delete" in user_role.permissions) is can_delete
