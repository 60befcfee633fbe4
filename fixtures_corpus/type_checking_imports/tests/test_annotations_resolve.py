"""The annotations stay strings at runtime but still resolve for type tools.

Uses ``request._fixture_defs`` (private, but stable across pytest 7-9) to reach
the fixture function wherever it ends up being defined.
"""

import collections.abc
import pathlib
import sys
import typing

import pytest


def test_annotations_are_lazy_strings(request, workspace):
    fixturedef = request._fixture_defs["workspace"]  # noqa: SLF001 - introspection only
    func = fixturedef.func
    assert func.__annotations__ == {"tmp_path": "Path", "return": "Iterator[Path]"}
    # Resolving them needs the TYPE_CHECKING names, supplied here explicitly.
    hints = typing.get_type_hints(
        func,
        localns={"Path": pathlib.Path, "Iterator": collections.abc.Iterator},
    )
    assert hints["tmp_path"] is pathlib.Path


def test_type_checking_names_absent_at_runtime(request, node_name):
    # Look the module up through the fixture, wherever it is defined.
    module_name = request._fixture_defs["node_name"].func.__module__  # noqa: SLF001
    module = sys.modules[module_name]
    assert module.TYPE_CHECKING is False
    for name in ("Path", "Iterator", "Callable", "FixtureRequest"):
        assert not hasattr(module, name)
    with pytest.raises(NameError):
        typing.get_type_hints(module._ensure_dir)
