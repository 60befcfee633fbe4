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
import annotations``, are not evaluated at all.

The visitor reads contexts (load, store, del) from the syntax alone and reports
every name it meets; :meth:`Effects.within` keeps those the statement reaches
at module level, which parse worked out with libcst's ``ScopeProvider`` over the
whole module (``Definition.uses``): a local of a function, lambda, comprehension
or class is no module-level name. (Resolving metadata again, statement by
statement, cost a third of a second each.)
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

import libcst as cst


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

    def within(self, names: Set[str]) -> Effects:
        """The same effects restricted to ``names`` (the module-level names in reach)."""
        return Effects(
            self.reads & names,
            self.mutates & names,
            self.runtime_reads & names,
            self.runtime_mutates & names,
            self.runtime_rebinds,
        )


def statement_effects(tree: cst.Module, *, bodies: bool = True) -> Effects:
    """The effects of the one statement in ``tree`` (a :class:`Definition`'s ``tree``), every
    name it meets included: restrict them with :meth:`Effects.within`.

    Without ``bodies`` the function and lambda bodies (most of a conftest's code) are
    skipped: only the import-time effects are gathered.
    """
    gatherer = _GatherEffects(bodies)
    tree.visit(gatherer)
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
    """Reads and in-place changes of names, split by when they run.

    ``deferred`` counts the function and lambda bodies around the node being
    visited: their code runs when called, not at import. A name is a read unless
    the syntax stores it (assignment and loop targets, ``as`` names, parameters,
    ``def``/``class`` names) or deletes it.
    """

    def __init__(self, bodies: bool) -> None:
        self.bodies = bodies
        self.found = (_Found(set(), set()), _Found(set(), set()))
        self.rebinds: set[str] = set()
        self.deferred = 0

    @property
    def current(self) -> _Found:
        return self.found[1 if self.deferred else 0]

    # -- when code runs ------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            decorator.visit(self)
        node.params.visit(self)
        self.deferred_visit(node.body)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        node.params.visit(self)
        self.deferred_visit(node.body)
        return False

    def deferred_visit(self, body: cst.CSTNode) -> None:
        if self.bodies:
            self.deferred += 1
            body.visit(self)
            self.deferred -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        for part in (*node.decorators, *node.bases, *node.keywords, node.body):
            part.visit(self)
        return False

    # -- what is not a read ---------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Annotation(self, node: cst.Annotation) -> bool:
        return False

    def visit_Param(self, node: cst.Param) -> bool:
        if node.default is not None:
            node.default.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # the keyword of ``f(k=v)`` is no name read
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # ``b`` of ``a.b`` is no name read
        return False

    def visit_Global(self, node: cst.Global) -> bool:
        self.rebinds.update(item.name.value for item in node.names)
        return False

    def visit_Nonlocal(self, node: cst.Nonlocal) -> bool:
        return False

    def visit_AsName(self, node: cst.AsName) -> bool:
        self.store(node.name)
        return False

    # -- stores, deletions, in-place changes ------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> bool:
        for target in node.targets:
            self.store(target.target)
        node.value.visit(self)
        return False

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        self.store(node.target)
        if node.value is not None:
            node.value.visit(self)
        return False

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        self.change(node.target)
        node.target.visit(self)
        node.value.visit(self)
        return False

    def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
        self.store(node.target)
        node.value.visit(self)
        return False

    def visit_For(self, node: cst.For) -> bool:
        self.store(node.target)
        for part in (node.iter, node.body, node.orelse):
            if part is not None:
                part.visit(self)
        return False

    def visit_CompFor(self, node: cst.CompFor) -> bool:
        self.store(node.target)
        for part in (node.iter, *node.ifs, node.inner_for_in):
            if part is not None:
                part.visit(self)
        return False

    def visit_Del(self, node: cst.Del) -> bool:
        self.change(node.target)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):  # n.append(…), n.cache.clear(…)
            self.change(node.func)

    def visit_Name(self, node: cst.Name) -> None:
        self.current.reads.add(node.value)

    def store(self, target: cst.BaseExpression) -> None:
        """An assignment target: names are bound, items and attributes changed."""
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.store(element.value)
        elif isinstance(target, cst.StarredElement):
            self.store(target.value)
        elif isinstance(target, (cst.Attribute, cst.Subscript)):
            self.change(target)
            target.visit(self)

    def change(self, target: cst.BaseExpression) -> None:
        """``target`` (a name, or an item or attribute below one) changes or goes."""
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.change(element.value)
            return
        if isinstance(target, (cst.Attribute, cst.Subscript)):
            target.visit(self)  # its root and any index are read
        while isinstance(target, (cst.Attribute, cst.Subscript)):
            target = target.value
        if isinstance(target, cst.Name):
            self.current.mutates.add(target.value)


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
