"""Which module-level names each top-level statement binds and uses (scope analysis).

Built on libcst's ``ScopeProvider``: every access to a global name — in a
function body, a nested function, a decorator, a default argument or an
annotation (string annotations included) — is attributed to the top-level
statement that contains it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import (
    Assignment,
    CodePosition,
    CodeRange,
    GlobalScope,
    MetadataWrapper,
    PositionProvider,
    Scope,
)

from splitter.model import Span

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
    """Which top-level statement holds a node, and the lines where nodes start and end.

    ``enter`` is the ``before_visit`` hook of the one batched traversal parse
    makes, so every node of the module is attributed to its statement there.
    Lines do not come from a whole-module ``PositionProvider`` pass (which
    generates the module's code once more, tracking every node: a sixth of the
    analysis). A top-level statement's lines follow from its code, which
    parse needs anyway; the position of a nested node comes from
    ``PositionProvider`` run over its statement alone, the first time one is
    asked for there.
    """

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.codes = [module.code_for_node(statement) for statement in module.body]
        self._numbers: dict[cst.CSTNode, int] = {s: i for i, s in enumerate(module.body)}
        self._owners: dict[cst.CSTNode, int] = {}
        self._current = 0
        self._starts: list[int] = []  # where each statement's code starts, leading lines included
        line = 1 + len(module.header)
        for text in self.codes:
            self._starts.append(line)
            line += text.count("\n")
        self._positions: dict[int, Positions] = {}

    def enter(self, node: cst.CSTNode) -> None:
        """Attribute ``node`` (visited in source order) to the statement being visited."""
        self._current = self._numbers.get(node, self._current)
        self._owners[node] = self._current

    def of(self, node: cst.CSTNode) -> int | None:
        """The index of the statement containing ``node``."""
        return self._owners.get(node)

    def line(self, node: cst.CSTNode) -> int:
        """The 1-based line where ``node`` starts."""
        return self.span(node).start_line

    def span(self, node: cst.CSTNode) -> Span:
        """The 1-based inclusive lines of ``node``, a ``def``'s or ``class``'s decorators included.

        The same lines ``PositionProvider`` gives: leading comments and blank
        lines are not part of a statement, nor are the comment-only lines at
        the end of its block.
        """
        decorators: Sequence[cst.Decorator] = getattr(node, "decorators", ())
        number = self._numbers.get(node)
        if number is None:
            first = self._range(decorators[0] if decorators else node)
            return Span(first.start.line, self._range(node).end.line)
        statement = self.module.body[number]
        start = self._starts[number] + len(statement.leading_lines)
        if decorators:
            start += len(decorators[0].leading_lines)
        code_lines = self.codes[number].split("\n")
        last = max(i for i, text in enumerate(code_lines) if _has_code(text))
        return Span(start, self._starts[number] + last)

    def _range(self, node: cst.CSTNode) -> CodeRange:
        number = self._owners[node]
        positions = self._positions.get(number)
        if positions is None:
            alone = self.module.with_changes(header=(), body=(self.module.body[number],), footer=())
            positions = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
            self._positions[number] = positions
        local = positions[node]
        offset = self._starts[number] - 1
        return CodeRange(
            CodePosition(local.start.line + offset, local.start.column),
            CodePosition(local.end.line + offset, local.end.column),
        )


def _has_code(line: str) -> bool:
    """Whether a line of a statement holds code: not blank, not only a comment.

    A line inside a string literal always holds code too: the last line of
    one holds its closing quotes, so no trailing line of a statement is
    mistaken for a comment.
    """
    text = line.strip()
    return bool(text) and not text.startswith("#")


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
