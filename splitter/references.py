"""Which module-level names each top-level statement binds and uses (scope analysis).

Built on libcst's ``ScopeProvider``: every access to a global name — in a
function body, a nested function, a decorator, a default argument or an
annotation (string annotations included) — is attributed to the top-level
statement that contains it.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment, CodeRange, GlobalScope, Scope

Positions = Mapping[cst.CSTNode, CodeRange]


@dataclass(frozen=True)
class NameFacts:
    """What one top-level statement binds and reads at module level."""

    binds: tuple[str, ...]
    uses: tuple[str, ...]  # read at run time (outside annotations)
    annotation_uses: tuple[str, ...]  # read only in annotations
    unresolved: tuple[
        str, ...
    ]  # read but bound nowhere visible (star imports, exec, globals())


class StatementIndex:
    """Finds the top-level statement that contains a node, by line."""

    def __init__(self, statements: Sequence[cst.CSTNode], positions: Positions) -> None:
        self.positions = positions
        self.starts = [first_line(statement, positions) for statement in statements]

    def of(self, node: cst.CSTNode) -> int | None:
        """The index of the statement containing ``node``."""
        position = self.positions.get(node)
        if position is None:
            return None
        return bisect.bisect_right(self.starts, position.start.line) - 1

    def line(self, node: cst.CSTNode) -> int:
        """The 1-based line where ``node`` starts."""
        return self.positions[node].start.line


def first_line(statement: cst.CSTNode, positions: Positions) -> int:
    """The first line of a statement, its decorators included."""
    decorators = getattr(statement, "decorators", ())
    return positions[decorators[0] if decorators else statement].start.line


def bound_name(assignment: Assignment) -> str:
    """The module attribute an assignment binds (``import os.path`` binds ``os``)."""
    return assignment.name.split(".", 1)[0]


def gather_names(
    module: cst.Module,
    globals_: GlobalScope,
    scopes: Mapping[cst.CSTNode, Scope | None],
    index: StatementIndex,
) -> tuple[NameFacts, ...]:
    """Per top-level statement: the global names it binds, uses and uses in annotations."""
    count = len(module.body)
    binds: list[set[str]] = [set() for _ in range(count)]
    runtime: list[set[str]] = [set() for _ in range(count)]
    annotations: list[set[str]] = [set() for _ in range(count)]
    for assignment in globals_.assignments:
        if not isinstance(assignment, Assignment):
            continue
        name = bound_name(assignment)
        binder = index.of(assignment.node)
        if binder is not None and scopes.get(assignment.node) is globals_:
            binds[binder].add(name)
        for access in assignment.references:
            user = index.of(access.node)
            if user is not None and user != binder:
                (annotations if access.is_annotation else runtime)[user].add(name)
    unresolved = unresolved_names(scopes, index, count)
    return tuple(
        NameFacts(
            binds=tuple(sorted(binds[i])),
            uses=tuple(sorted(runtime[i])),
            annotation_uses=tuple(sorted(annotations[i] - runtime[i])),
            unresolved=tuple(sorted(unresolved[i])),
        )
        for i in range(count)
    )


def unresolved_names(
    scopes: Mapping[cst.CSTNode, Scope | None], index: StatementIndex, count: int
) -> list[set[str]]:
    """Per statement, names it reads that no visible assignment or builtin binds."""
    found: list[set[str]] = [set() for _ in range(count)]
    for scope in {s for s in scopes.values() if s is not None}:
        for access in scope.accesses:
            if not access.referents and isinstance(access.node, cst.Name):
                user = index.of(access.node)
                if user is not None:
                    found[user].add(access.node.value)
    return found
