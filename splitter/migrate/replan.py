"""From a rollback to a kept split: trace each difference to the definitions that moved (pure).

When the verifier finds a difference, the split is rolled back. Often the cause is one
definition that behaves differently outside the root conftest — a fixture whose body
defines a function a test inspects (``inspect.getsourcefile``), a class whose
``__module__`` a test checks — which static analysis cannot know and the outcome
comparison rightly catches. Then migrate plans again with the definitions the
differences lead to kept in the root (and, through the planner, everything that needs
them), verifies once more, and keeps that smaller split when it is identical.

A difference leads to definitions when it names them: a fixture's scope, params,
body…; a test whose outcome changed leads to the moved fixtures it uses; a name of the
conftest module that changed or no longer imports leads to that name. A difference of
the whole tree (configuration, warnings, a collection error, a test no longer
collected) leads nowhere, and the rollback stands.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from splitter.verify.compare import DiffKind, Difference
from splitter.verify.snapshot import ApiSnapshot

# Differences that name one fixture definition.
FIXTURE_KINDS = frozenset(
    {
        DiffKind.SCOPE,
        DiffKind.PARAMS,
        DiffKind.IDS,
        DiffKind.ARGNAMES,
        DiffKind.BODY,
        DiffKind.DOCSTRING,
        DiffKind.STUB,
        DiffKind.SHARED_STATE,
        DiffKind.CHAIN,
        DiffKind.VISIBILITY,
        DiffKind.AUTOUSE,
    }
)


def names_to_keep(
    differences: Iterable[Difference], before: ApiSnapshot, moved: Collection[str]
) -> dict[str, str] | None:
    """The moved names the differences lead to, each with the first difference that led
    there; None when any difference leads to no moved name (the rollback stands)."""
    closures = {item.nodeid: item.closure for item in before.items}
    kept: dict[str, str] = {}
    for difference in differences:
        found = _leads_to(difference, closures, moved)
        if not found:
            return None
        for name in sorted(found):
            kept.setdefault(name, str(difference))
    return kept or None


def _leads_to(difference: Difference, closures: dict[str, frozenset[str]], moved: Collection[str]) -> set[str]:
    if difference.kind in FIXTURE_KINDS or difference.kind is DiffKind.IMPORT:
        return {difference.fixture} & set(moved) if difference.fixture else set()
    if difference.kind is DiffKind.OUTCOME and difference.test:
        return set(closures.get(difference.test, ())) & set(moved)
    if difference.kind is DiffKind.NAMESPACE:
        attribute = difference.message.split("`")[1] if difference.message.count("`") >= 2 else ""
        return {attribute.rpartition(".")[2]} & set(moved)
    return set()
