"""Load by need through imports: move a split module's heavy imports into the functions that use them (pure).

A tier module (``conftest_services``) is imported when a test first sets up one of
its fixtures. If its top still imported SQLAlchemy, pandas and the app, that first
fixture would pay for all of them. So a heavy import whose names only function
bodies read moves into those bodies, as the function-local import people write by
hand for exactly this (pylint's W2608 suggests it; ruff's TID254 knows it):

    import pandas as pd                      @pytest.fixture
                                      →      def frame():
    @pytest.fixture                              \"\"\"doc\"\"\"
    def frame():                                 import pandas as pd
        \"\"\"doc\"\"\"                              return pd.DataFrame()
        return pd.DataFrame()

Then importing the module costs little, and a test pays only for the heavy imports
of the fixtures and helpers it really runs.

The rule (docs/LAZY_UNITS.md has the reasoning):

- *heavy* is decided by the caller (measured at or above the LOW threshold, the
  standard library never); only plain top-level ``import``/``from … import``
  statements move, never one inside ``try``/``if`` (a probe is a behaviour);
- a name moves only when every read of it runs inside a ``def`` (a function at
  module level or a method of a class at module level) — its statements run when
  the function is called. A read that runs while the module is imported keeps the
  import at the top: a base class, a decorator or its arguments, a default value,
  a class attribute, a module-level constant built from the library, a lambda, and
  an annotation evaluated at definition time (every annotation, unless the module
  has ``from __future__ import annotations``);
- under ``from __future__ import annotations`` annotations are strings, so an
  annotation does not keep the import at the top; the import is also written in
  the module's ``if TYPE_CHECKING:`` block, so type checkers and linters still know
  the name (the idiom people write by hand);
- a name the module also binds another way (an assignment, ``global``) stays;
- each function gets only the names it reads, as the original statement wrote
  them, at the start of its body (after its docstring), in source order. The
  verifier checks exactly this: the moved imports are the only difference and
  bind the same objects (docs/VERIFY.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ClassScope, FunctionScope, GlobalScope, MetadataWrapper, Scope, ScopeProvider

Heavy = Callable[[str, int], bool]  # (module as written, relative level) -> whether it is heavy


@dataclass
class _Candidate:
    """A top-level import statement, and which of its aliases move."""

    statement: cst.SimpleStatementLine
    node: cst.Import | cst.ImportFrom
    heavy: set[str] = field(default_factory=set)  # names its heavy aliases bind
    moving: set[str] = field(default_factory=set)  # of those, the names that move
    typing: set[str] = field(default_factory=set)  # of those, names annotations mention


def localize_imports(source: str, heavy: Heavy) -> str:
    """``source`` with its heavy, body-only imports moved into the functions that read them."""
    wrapper = MetadataWrapper(cst.parse_module(source))
    module = wrapper.module
    scope = wrapper.resolve(ScopeProvider)[module]
    assert isinstance(scope, GlobalScope)
    postponed = _has_postponed_annotations(module)
    candidates = _candidates(module, heavy)
    heavy_names = {name for c in candidates for name in c.heavy}
    by_name: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        for name in _bound_names(candidate.node) & heavy_names:
            by_name.setdefault(name, []).append(candidate)
    targets: dict[cst.FunctionDef, set[str]] = {}
    for name, found in _references(scope, by_name).items():
        reading = _functions_reading(found, postponed)
        if reading is None:
            continue
        functions, typing = reading
        for binder in by_name[name]:
            binder.moving.add(name)
            if typing:
                binder.typing.add(name)
        for function in functions:
            targets.setdefault(function, set()).add(name)
    moving = [c for c in candidates if c.moving]
    if not moving:
        return source
    block = _type_checking_block(module)
    for candidate in moving:
        candidate.typing -= _imported_in(block)
    return module.visit(_Mover(moving, targets, block)).code


# -- what moves -----------------------------------------------------------------------


def _candidates(module: cst.Module, heavy: Heavy) -> list[_Candidate]:
    """The plain top-level imports (``__future__`` and star imports aside), with the names of their heavy aliases.

    A name a heavy import binds moves with every plain import that binds it
    (``import websockets`` with ``import websockets.asyncio.server``).
    """
    found = []
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        node = statement.body[0]
        if isinstance(node, cst.Import):
            names = {_bound(a) for a in node.names if heavy(_dotted(a.name), 0)}
        elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            written = _dotted(node.module) if node.module is not None else ""
            level = len(node.relative)
            heavy_module = written != "__future__" and heavy(written, level)
            # ``from ledger import models``: a heavy submodule moves on its own
            names = {
                _bound(a)
                for a in node.names
                if heavy_module or heavy(f"{written}.{_dotted(a.name)}" if written else _dotted(a.name), level)
            }
        else:
            continue
        found.append(_Candidate(statement, node, heavy=names))
    return found


def _references(
    scope: GlobalScope, names: dict[str, list[_Candidate]]
) -> dict[str, list[tuple[cst.CSTNode, Scope, bool]]]:
    """Per name bound only by the candidate imports: every read of it (node, scope, is an annotation).

    A name any other statement binds (an assignment, ``global`` in a function, a light import) is left out.
    """
    reads: dict[str, list[tuple[cst.CSTNode, Scope, bool]]] = {}
    other: set[str] = set()
    for assignment in scope.assignments:
        top = assignment.name.split(".")[0]
        if top not in names:
            continue
        if not any(getattr(assignment, "node", None) is c.node for c in names[top]):
            other.add(top)
            continue
        found = reads.setdefault(top, [])
        found += [(access.node, access.scope, access.is_annotation) for access in assignment.references]
    return {name: found for name, found in reads.items() if name not in other and found}


def _functions_reading(
    reads: Sequence[tuple[cst.CSTNode, Scope, bool]], postponed: bool
) -> tuple[set[cst.FunctionDef], bool] | None:
    """The functions whose bodies read the name, and whether annotations mention it;
    None when a read runs while the module is imported (the import then stays at the top)."""
    functions: set[cst.FunctionDef] = set()
    typing = False
    for node, scope, annotation in reads:
        if annotation and postponed:
            typing = True
            continue
        if isinstance(node, cst.SimpleString):  # a string annotation outside postponed evaluation
            typing = True
            continue
        function = _outermost_function(scope)
        if function is None:
            return None
        functions.add(function)
    return functions, typing


def _outermost_function(scope: Scope) -> cst.FunctionDef | None:
    """The ``def`` at module level (or a method of a class at module level) that ``scope`` runs in."""
    chain: list[Scope] = []
    while not isinstance(scope, GlobalScope):
        chain.append(scope)
        scope = scope.parent
    chain.reverse()  # outermost first
    if chain and isinstance(chain[0], ClassScope):
        chain = chain[1:]
    if not chain or not isinstance(chain[0], FunctionScope):
        return None
    node = chain[0].node
    return node if isinstance(node, cst.FunctionDef) else None


# -- the rewrite ----------------------------------------------------------------------


class _Mover(cst.CSTTransformer):
    """Removes the moving aliases from the top, inserts them where they are read."""

    def __init__(
        self,
        moving: Sequence[_Candidate],
        targets: dict[cst.FunctionDef, set[str]],
        type_checking: cst.If | None,
    ) -> None:
        self.moving = moving
        self.by_statement = {id(c.statement): c for c in moving}
        self.targets = targets
        self.type_checking = type_checking
        typing = [_only(c.node, c.typing) for c in moving if c.typing]
        self.typing = [cst.SimpleStatementLine([node]) for node in typing if node is not None]

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        names = self.targets.get(original)
        if not names or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        lines = [cst.SimpleStatementLine([node]) for c in self.moving if (node := _only(c.node, names)) is not None]
        body = list(updated.body.body)
        at = 1 if body and _is_docstring(body[0]) else 0
        return updated.with_changes(body=updated.body.with_changes(body=[*body[:at], *lines, *body[at:]]))

    def leave_If(self, original: cst.If, updated: cst.If) -> cst.If:
        if original is not self.type_checking or not self.typing or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        return updated.with_changes(body=updated.body.with_changes(body=[*updated.body.body, *self.typing]))

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body: list[cst.BaseStatement] = []
        pending: Sequence[cst.EmptyLine] = ()  # comments of a removed import go to the next statement
        for before, statement in zip(original.body, updated.body):
            candidate = self.by_statement.get(id(before))
            if candidate is not None:
                assert isinstance(statement, cst.SimpleStatementLine)
                kept = _without(candidate.node, candidate.moving)
                if kept is None:
                    pending = [*pending, *statement.leading_lines]
                    continue
                statement = statement.with_changes(body=[kept])
            if pending:
                statement = statement.with_changes(leading_lines=[*pending, *statement.leading_lines])
                pending = ()
            body.append(statement)
        if self.typing and self.type_checking is None:
            body = _with_new_type_checking_block(body, self.typing, original)
        return updated.with_changes(body=body)


def _with_new_type_checking_block(
    body: list[cst.BaseStatement], imports: Sequence[cst.SimpleStatementLine], module: cst.Module
) -> list[cst.BaseStatement]:
    """``body`` with an ``if TYPE_CHECKING:`` block of ``imports`` after its last top-level import."""
    last = max((i for i, s in enumerate(body) if _is_import(s)), default=-1)
    block: list[cst.BaseStatement] = []
    if not _binds_type_checking(module):
        block.append(cst.parse_statement("from typing import TYPE_CHECKING"))
    block.append(
        cst.If(
            test=cst.Name("TYPE_CHECKING"),
            body=cst.IndentedBlock(body=list(imports)),
            leading_lines=[cst.EmptyLine()],
        )
    )
    return [*body[: last + 1], *block, *body[last + 1 :]]


# -- small pure helpers ---------------------------------------------------------------


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _bound(alias: cst.ImportAlias) -> str:
    """The name an alias binds: its ``as`` name, else the first part of the dotted name."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _dotted(alias.name).split(".")[0]


def _bound_names(node: cst.Import | cst.ImportFrom) -> set[str]:
    assert not isinstance(node.names, cst.ImportStar)
    return {_bound(a) for a in node.names}


def _only(node: cst.Import | cst.ImportFrom, names: set[str]) -> cst.Import | cst.ImportFrom | None:
    """The statement reduced to the aliases that bind ``names`` (None when none does)."""
    assert not isinstance(node.names, cst.ImportStar)
    aliases = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in node.names if _bound(a) in names]
    if not aliases:
        return None
    if isinstance(node, cst.ImportFrom):
        return node.with_changes(names=aliases, lpar=None, rpar=None)
    return node.with_changes(names=aliases)


def _without(node: cst.Import | cst.ImportFrom, names: set[str]) -> cst.Import | cst.ImportFrom | None:
    """The statement without the aliases that bind ``names`` (None when nothing is left)."""
    assert not isinstance(node.names, cst.ImportStar)
    if not any(_bound(a) in names for a in node.names):
        return node
    return _only(node, _bound_names(node) - names)


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[0], (cst.Import, cst.ImportFrom)
    )


def _has_postponed_annotations(module: cst.Module) -> bool:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for node in statement.body:
                if (
                    isinstance(node, cst.ImportFrom)
                    and node.module is not None
                    and _dotted(node.module) == "__future__"
                    and not isinstance(node.names, cst.ImportStar)
                    and any(_dotted(a.name) == "annotations" for a in node.names)
                ):
                    return True
    return False


def _type_checking_block(module: cst.Module) -> cst.If | None:
    """The module's top-level ``if TYPE_CHECKING:`` block (without ``else``), if it has one."""
    for statement in module.body:
        if isinstance(statement, cst.If) and statement.orelse is None and _dotted(statement.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            return statement
    return None


def _imported_in(block: cst.If | None) -> set[str]:
    """The names the imports of an ``if TYPE_CHECKING:`` block bind."""
    if block is None or not isinstance(block.body, cst.IndentedBlock):
        return set()
    return {
        name
        for statement in block.body.body
        if isinstance(statement, cst.SimpleStatementLine)
        for node in statement.body
        if isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(node.names, cst.ImportStar)
        for name in _bound_names(node)
    }


def _binds_type_checking(module: cst.Module) -> bool:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for node in statement.body:
                if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
                    if any(_bound(a) == "TYPE_CHECKING" for a in node.names):
                        return True
    return False


def body_imports(source: str) -> dict[str, str]:
    """What the leading imports of the module's function bodies, and the imports of its
    ``if TYPE_CHECKING:`` block, bind: name -> ``"module:attribute"`` (``"module:"`` for
    ``import module``), first binding first; relative imports left out.

    These are the imports :func:`localize_imports` moved out of the module's top (a name
    only annotations read goes to the ``TYPE_CHECKING`` block alone: zarr's type aliases,
    ``from zarr.core.common import JSON``), so the conftest's ``__getattr__`` still answers
    ``conftest.X`` for them (an imported flag, constant or alias is part of the conftest's
    namespace); ``splitter sync`` reads the same from the split modules on disk. A user's
    own function-local or type-checking import counts too: answering one more
    ``conftest.X`` changes nothing a test could see before.
    """
    found: dict[str, str] = {}
    module = cst.parse_module(source)
    block = _type_checking_block(module)
    if block is not None and isinstance(block.body, cst.IndentedBlock):
        for statement in block.body.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for node in statement.body:
                    for name, target in _targets(node).items():
                        found.setdefault(name, target)
    for function in _functions(module):
        if not isinstance(function.body, cst.IndentedBlock):
            continue
        body = list(function.body.body)
        for statement in body[1:] if body and _is_docstring(body[0]) else body:
            if not _is_import(statement):
                break
            assert isinstance(statement, cst.SimpleStatementLine)
            for node in statement.body:
                for name, target in _targets(node).items():
                    found.setdefault(name, target)
    return found


def top_level_names(source: str) -> set[str]:
    """Every name the module binds at its top level while it runs (imports, definitions,
    assignments); not one bound only in its ``if TYPE_CHECKING:`` block, which never runs."""
    wrapper = MetadataWrapper(cst.parse_module(source))
    scope = wrapper.resolve(ScopeProvider)[wrapper.module]
    if scope is None:
        return set()
    block = _type_checking_block(wrapper.module)
    typing_only: set[int] = set()
    if block is not None and isinstance(block.body, cst.IndentedBlock):
        typing_only = {
            id(node)
            for statement in block.body.body
            if isinstance(statement, cst.SimpleStatementLine)
            for node in statement.body
        }
    return {
        assignment.name.split(".")[0]
        for assignment in scope.assignments
        if id(getattr(assignment, "node", None)) not in typing_only
    }


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    """The module's functions and the methods of its classes, in source order."""
    found: list[cst.FunctionDef] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            found.append(statement)
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            found += [s for s in statement.body.body if isinstance(s, cst.FunctionDef)]
    return found


def _targets(node: cst.BaseSmallStatement) -> dict[str, str]:
    if isinstance(node, cst.Import):
        return {
            _bound(a): (_dotted(a.name) if a.asname is not None else _dotted(a.name).split(".")[0]) + ":"
            for a in node.names
        }
    if isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None:
        if isinstance(node.names, cst.ImportStar):
            return {}
        return {_bound(a): f"{_dotted(node.module)}:{_dotted(a.name)}" for a in node.names}
    return {}
