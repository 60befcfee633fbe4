"""Give each rendered module exactly the imports it uses (pure).

Import statements are the one kind of definition that is copied rather than
moved: every module that uses a name an import binds gets that import, filtered
down to the names it uses. ``from __future__`` imports go to every module.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

import libcst as cst


def bound_name(alias: cst.ImportAlias) -> str:
    """The module-level name an import alias binds (``import a.b`` binds ``a``)."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _dotted(alias.name).split(".")[0]


def _dotted(node: cst.BaseExpression) -> str:
    return cst.Module([]).code_for_node(node)


def is_future_import(tree: cst.Module) -> bool:
    """Whether ``tree`` is one ``from __future__ import ...`` statement."""
    line = tree.body[0] if len(tree.body) == 1 else None
    statement = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
    return (
        isinstance(statement, cst.ImportFrom)
        and statement.module is not None
        and _dotted(statement.module) == "__future__"
    )


class _GatherDotted(cst.CSTVisitor):
    def __init__(self) -> None:
        self.dotted: set[str] = set()

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        name = _dotted(node.name)
        if node.asname is None and "." in name:
            self.dotted.add(name)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False


def dotted_imports(trees: Collection[cst.Module]) -> frozenset[str]:
    """The ``import a.b`` paths (no ``as``) in ``trees``."""
    gatherer = _GatherDotted()
    for tree in trees:
        tree.visit(gatherer)
    return frozenset(gatherer.dotted)


def filter_import(
    tree: cst.Module,
    used: Collection[str],
    chains: Collection[str] | None = None,
    dotted: Collection[str] = (),
    *,
    type_checking_only: bool = False,
) -> str | None:
    """The code of ``tree`` (an import, or a block of imports) keeping only what binds a name in ``used``.

    Inside ``try``/``if``/``with`` blocks every import stays (an optional-dependency
    probe is behaviour, not an unused import) unless the block only runs for type
    checkers (``type_checking_only``); fallback assignments (``np = None``) to names
    nothing uses go. With ``chains`` (the
    ``reads`` of the definitions that use them), ``import a.b`` stays only when ``a.b`` is read,
    and ``import a`` only when ``a`` is read other than through the dotted
    imports in ``dotted`` (every ``import a.x`` of the module that stays).
    Returns ``None`` when nothing the statement binds is used.
    """
    if is_future_import(tree):
        return tree.code
    in_use = None if chains is None else frozenset(chains)
    filtered = tree.visit(
        _FilterImports(frozenset(used), in_use, frozenset(dotted) & (in_use or frozenset()), type_checking_only)
    )
    if not filtered.body:
        return None
    return filtered.code


_ImportT = TypeVar("_ImportT", cst.Import, cst.ImportFrom)


class _FilterImports(cst.CSTTransformer):
    """Drop import aliases, and plain assignments, that bind names nobody uses."""

    def __init__(
        self, used: frozenset[str], chains: frozenset[str] | None, dotted: frozenset[str], prune_blocks: bool
    ) -> None:
        self.used = used
        self.prune_blocks = prune_blocks
        self.chains = chains
        self.dotted = dotted  # the module's ``import a.b`` paths that are read
        self.depth = 0  # blocks around the node: imports inside one are never dropped

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.depth += 1

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self.depth += 1

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        self.depth -= 1
        return updated_node

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.Import | cst.RemovalSentinel:
        return self._keep(updated_node)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        return self._keep(updated_node)

    def _keep(self, node: _ImportT) -> _ImportT | cst.RemovalSentinel:
        assert not isinstance(node.names, cst.ImportStar)
        if self.depth and not self.prune_blocks:
            return node
        kept = [alias for alias in node.names if bound_name(alias) in self.used]
        if isinstance(node, cst.Import) and self.chains is not None:
            kept = self._dotted_in_use(kept)
        if not kept:
            return cst.RemoveFromParent()
        if len(kept) == len(node.names):
            return node
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        changed = node.with_changes(names=kept)
        if isinstance(changed, cst.ImportFrom) and changed.lpar is not None and len(kept) == 1:
            changed = changed.with_changes(lpar=None, rpar=None)
        return changed

    def _dotted_in_use(self, aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
        """``import a.b`` only if ``a.b`` is read; ``import a`` only if ``a`` is read
        other than through the module's dotted imports that stay."""
        kept = []
        for alias in aliases:
            name = _dotted(alias.name)
            if alias.asname is not None:
                kept.append(alias)
            elif "." in name:
                if name in self.dotted:
                    kept.append(alias)
            elif self._reads_directly(name):
                kept.append(alias)
        return kept

    def _reads_directly(self, name: str) -> bool:
        """Whether some read of ``name`` or ``name.x…`` is not served by a kept ``import name.x``."""
        assert self.chains is not None
        reads = {c for c in self.chains if c.startswith(name + ".")}
        served = {c for c in reads if any(c == d or c.startswith(d + ".") or d.startswith(c + ".") for d in self.dotted)}
        maximal = {c for c in reads - served if not any(o.startswith(c + ".") for o in reads)}
        return bool(maximal) or (name in self.chains and not reads)

    def leave_Assign(
        self, original_node: cst.Assign, updated_node: cst.Assign
    ) -> cst.Assign | cst.RemovalSentinel:
        targets = [t.target for t in updated_node.targets]
        if all(isinstance(t, cst.Name) and t.value not in self.used for t in targets):
            return cst.RemoveFromParent()
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        return updated_node if updated_node.body else cst.RemoveFromParent()

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self.depth -= 1
        if updated_node.body:
            return updated_node
        return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])


ONE_LINE = 88  # black's default line length: longer imports are written as black would split them


def sibling_import(module: str, names: Collection[str], relative: bool) -> str:
    """``from .module import a, b`` (package tree) or ``from module import a, b``.

    Written as black writes it: on one line when it fits black's default line
    length, else one name per line with a trailing comma.
    """
    prefix = "." if relative else ""
    line = f"from {prefix}{module} import {', '.join(sorted(names))}"
    if len(line) <= ONE_LINE:
        return line + "\n"
    rows = "".join(f"    {name},\n" for name in sorted(names))
    return f"from {prefix}{module} import (\n{rows})\n"
