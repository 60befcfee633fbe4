"""UserExecutionContext: validation, immutability and derivation."""

from __future__ import annotations

import dataclasses

import pytest

from supervisor_service.context import InvalidContextError, UserExecutionContext
from tests.conftest import DEFAULT_TEST_USER_ID, build_context, next_test_id

ID_FIELDS = ("user_id", "thread_id", "run_id", "request_id")
PLACEHOLDERS = ("", "None", "null", "undefined", "registry", "  placeholder  ")


def _valid_kwargs() -> dict[str, str]:
    return {name: next_test_id(name.split("_")[0]) for name in ID_FIELDS}


def test_valid_context_carries_common_user(valid_user_execution_context):
    assert valid_user_execution_context.user_id == DEFAULT_TEST_USER_ID
    assert valid_user_execution_context.metadata["source"] == "pytest"


@pytest.mark.parametrize("field_name", ID_FIELDS)
@pytest.mark.parametrize("placeholder", PLACEHOLDERS, ids=lambda p: repr(p.strip()) or "empty")
def test_placeholder_ids_are_rejected(field_name, placeholder):
    kwargs = _valid_kwargs()
    kwargs[field_name] = placeholder
    with pytest.raises(InvalidContextError, match=field_name):
        UserExecutionContext(**kwargs)


@pytest.mark.parametrize("bad_value", [None, 42, b"user"], ids=["none", "int", "bytes"])
def test_non_string_ids_are_rejected(bad_value):
    kwargs = _valid_kwargs()
    kwargs["user_id"] = bad_value
    with pytest.raises(InvalidContextError, match="must be a string"):
        UserExecutionContext(**kwargs)


def test_context_is_frozen(valid_user_execution_context):
    with pytest.raises(dataclasses.FrozenInstanceError):
        valid_user_execution_context.user_id = "someone-else"


def test_metadata_is_read_only(valid_user_execution_context):
    with pytest.raises(TypeError):
        valid_user_execution_context.metadata["source"] = "tampered"


def test_create_generates_distinct_ids():
    first = UserExecutionContext.create("u1")
    second = UserExecutionContext.create("u1")
    assert first.user_id == second.user_id
    assert len({first.thread_id, second.thread_id, first.run_id, second.run_id}) == 4


def test_child_keeps_identity_and_refreshes_request(valid_user_execution_context):
    child = valid_user_execution_context.child()
    assert child.user_id == valid_user_execution_context.user_id
    assert child.thread_id == valid_user_execution_context.thread_id
    assert child.run_id == valid_user_execution_context.run_id
    assert child.request_id != valid_user_execution_context.request_id


def test_child_validates_changes(valid_user_execution_context):
    with pytest.raises(InvalidContextError):
        valid_user_execution_context.child(run_id="none")


def test_isolation_key_and_dict(valid_user_execution_context):
    ctx = valid_user_execution_context
    assert ctx.isolation_key == f"{ctx.user_id}:{ctx.thread_id}:{ctx.run_id}"
    as_dict = ctx.to_dict()
    assert as_dict["metadata"] == {"source": "pytest"}
    assert set(as_dict) == {*ID_FIELDS, "metadata"}


def test_build_context_helper_uses_shared_counter():
    first, second = build_context(), build_context()
    assert first.user_id != second.user_id
    assert int(second.run_id.rsplit("_", 1)[1]) > int(first.run_id.rsplit("_", 1)[1])
