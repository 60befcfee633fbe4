"""The cross-check: the fixtures analyze found in a conftest against those pytest registered from it."""

from __future__ import annotations

from collections.abc import Iterable

from splitter.verify.snapshot import ConftestNamespace


def registration_mismatches(
    path: str, analyzed: Iterable[str], registered: ConftestNamespace | None
) -> tuple[str, ...]:
    """One warning per fixture name the two disagree on (none when pytest did not load the conftest)."""
    if registered is None:
        return ()
    found, actual = set(analyzed), set(registered.fixtures)
    unseen = [
        f"pytest registers fixture `{name}` from {path}, but analyze did not find it"
        " (the split may not keep it)"
        for name in sorted(actual - found)
    ]
    phantom = [
        f"analyze found fixture `{name}` in {path}, but pytest does not register it from there"
        for name in sorted(found - actual)
    ]
    return (*unseen, *phantom)
