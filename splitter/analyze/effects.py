"""effects: what one top-level statement does to module-level names, and when (pure, libcst).

A conftest runs top to bottom once; its functions run later, when pytest calls
them. Splitting it changes where and in which order statements run, so the
planner needs, per statement, the module-level names it

- reads while the conftest is imported (decorators, defaults, right-hand sides,
  class bodies, conditions), and those its functions read when called;
- mutates in place (``n.append(…)``, ``n[k] = …``, ``n.a = …``, ``n += …``,
  ``del n[k]``), at import or when its functions run;
- rebinds from a function body through ``global``.

Annotations are left out: they never run code and, under ``from __future__
import annotations``, are not evaluated at all. Contexts come from libcst's ``ExpressionContextProvider`` (load, store, del)
and locals from its ``ScopeProvider``, run over the statement alone: a name the
statement binds in a function, lambda, comprehension or class body is not a
module-level name. Names of imported modules are reported too; the planner
decides which names are module state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import (
    ExpressionContext,
    ExpressionContextProvider,
    GlobalScope,
    MetadataWrapper,
    Scope,
    ScopeProvider,
)


@dataclass(frozen=True)
class Effects:
    """The module-level names one statement touches, at import time and at run time."""

    reads: frozenset[str] = frozenset()  # read while the conftest is imported
    mutates: frozenset[str] = frozenset()  # changed in place (or deleted) while imported
    runtime_reads: frozenset[str] = frozenset()  # read by its function bodies
    runtime_mutates: frozenset[str] = frozenset()  # changed in place by its function bodies
    runtime_rebinds: frozenset[str] = frozenset()  # rebound by ``global`` in its function bodies

    @property
    def touches(self) -> frozenset[str]:
        """Every name it reads or changes while the conftest is imported."""
        return self.reads | self.mutates


def statement_effects(tree: cst.Module) -> Effects:
    """The effects of the one statement in ``tree`` (a :class:`Definition`'s ``tree``)."""
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    gatherer = _GatherEffects(
        wrapper.resolve(ExpressionContextProvider), wrapper.resolve(ScopeProvider)
    )
    wrapper.module.visit(gatherer)
    now, later = gatherer.found
    return Effects(
        reads=frozenset(now.reads),
        mutates=frozenset(now.mutates),
        runtime_reads=frozenset(later.reads),
        runtime_mutates=frozenset(later.mutates),
        runtime_rebinds=frozenset(gatherer.rebinds),
    )


@dataclass
class _Found:
    reads: set[str]
    mutates: set[str]


class _GatherEffects(cst.CSTVisitor):
    """Reads and in-place changes of global names, split by when they run.

    ``deferred`` counts the function and lambda bodies around the node being
    visited: their code runs when called, not at import.
    """

    def __init__(
        self,
        contexts: Mapping[cst.CSTNode, ExpressionContext],
        scopes: Mapping[cst.CSTNode, Scope | None],
    ) -> None:
        self.contexts = contexts
        self.scopes = scopes
        self.found = (_Found(set(), set()), _Found(set(), set()))
        self.rebinds: set[str] = set()
        self.deferred = 0

    @property
    def current(self) -> _Found:
        return self.found[1 if self.deferred else 0]

    # -- when code runs ------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for part in (*node.decorators, node.params, node.returns):
            if part is not None:
                part.visit(self)
        self.deferred += 1
        node.body.visit(self)
        self.deferred -= 1
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        node.params.visit(self)
        self.deferred += 1
        node.body.visit(self)
        self.deferred -= 1
        return False

    # -- what is not a read ---------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Annotation(self, node: cst.Annotation) -> bool:
        return False  # evaluated at most (never under ``from __future__ import annotations``), never called

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # the keyword of ``f(k=v)`` is no name read
        return False

    def visit_Global(self, node: cst.Global) -> bool:
        self.rebinds.update(item.name.value for item in node.names)
        return False

    # -- reads and in-place changes -------------------------------------------------

    def visit_Name(self, node: cst.Name) -> None:
        context = self.contexts.get(node)
        if context is None or self.is_local(node):
            return
        if context is ExpressionContext.LOAD:
            self.current.reads.add(node.value)
        elif context is ExpressionContext.DEL:
            self.current.mutates.add(node.value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.changed_through(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.changed_through(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name) and not self.is_local(node.target):
            self.current.mutates.add(node.target.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):  # n.append(…), n.cache.clear(…)
            self.mutate_root(node.func)

    def changed_through(self, node: cst.Subscript | cst.Attribute) -> None:
        """``n[k] = …``, ``n.a = …``, ``del n[k]``: the object ``n`` names changes."""
        if self.contexts.get(node) in (ExpressionContext.STORE, ExpressionContext.DEL):
            self.mutate_root(node)

    def mutate_root(self, node: cst.BaseExpression) -> None:
        while isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        if isinstance(node, cst.Name) and not self.is_local(node):
            self.current.mutates.add(node.value)

    def is_local(self, node: cst.Name) -> bool:
        """Whether ``node`` names something bound in a function, lambda, comprehension or class."""
        scope = self.scopes.get(node)
        if scope is None or isinstance(scope, GlobalScope):
            return False
        return any(not isinstance(a.scope, GlobalScope) for a in scope[node.value])


IMMUTABLE_NAMES = frozenset({"True", "False", "None"})


def binds_immutable_value(statement: cst.BaseStatement) -> bool:
    """Whether ``statement`` is ``NAME = <literal>`` of a value that cannot change in place
    (a string, number, bool, ``None`` or a tuple of them): only rebinding changes it."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if not isinstance(small, (cst.Assign, cst.AnnAssign)) or small.value is None:
        return False
    return _is_immutable_literal(small.value)


def _is_immutable_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.BaseString, cst.BaseNumber)):
        return True
    if isinstance(node, cst.Name):
        return node.value in IMMUTABLE_NAMES
    if isinstance(node, cst.UnaryOperation):
        return _is_immutable_literal(node.expression)
    if isinstance(node, cst.Tuple):
        return all(isinstance(e, cst.Element) and _is_immutable_literal(e.value) for e in node.elements)
    return False
