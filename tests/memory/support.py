"""Shared snippets for the memory plugin tests."""

from __future__ import annotations

from typing import Any

# Plugins these runs do not need; hypothesis's alone takes ~2 s to import here.
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")


def allocate(mb: int) -> str:
    """Python source of an expression that allocates ``mb`` MB once, every page written.

    ``bytearray(n)`` zero-fills its buffer, so the pages are resident. (``b"x" * n``
    is no good here: inside a coroutine CPython 3.11 briefly holds two copies.)
    """
    return f"bytearray({mb} * 1024 * 1024)"


def fixture_record(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The merged JSON record of fixture ``name``."""
    (record,) = [f for f in data["fixtures"] if f["name"] == name]
    return record
