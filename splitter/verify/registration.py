"""The cross-check: the fixtures analyze found in a conftest against those pytest registered from it."""

from __future__ import annotations

from collections.abc import Iterable

from splitter.verify.snapshot import ConftestNamespace


def registration_mismatches(
    path: str, analyzed: Iterable[str], registered: ConftestNamespace | None, kept: Iterable[str] = ()
) -> tuple[str, ...]:
    """One warning per fixture name the two disagree on (none when pytest did not load the conftest).

    ``kept``: names a statement that stays in the root conftest binds (a star import
    of a fixture package analyze cannot read): the split keeps them registered, so
    that analyze did not find them is no risk worth a warning.
    """
    if registered is None:
        return ()
    found, actual = set(analyzed), set(registered.fixtures)
    unseen = [
        f"pytest registers fixture `{name}` from {path}, but analyze did not find it"
        " (the split may not keep it)"
        for name in sorted(actual - found - set(kept))
    ]
    phantom = [
        f"analyze found fixture `{name}` in {path}, but pytest does not register it from there"
        for name in sorted(found - actual)
    ]
    return (*unseen, *phantom)
