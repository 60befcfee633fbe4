"""The imports the loader module needs for the stubs' decorators (pure).

A stub copies its fixture's decorator verbatim, so the loader module must bind
what the decorator reads (``pytest_asyncio``, ``fixture``, a constant from an
eagerly loaded module). Migrate finds each name in the conftest's import
statements, sync in the split module that defines the fixture; both write the
same canonical lines, one per imported module, so a sync right after a migration
changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import libcst as cst

from splitter.render.imports import bound_name, filter_import


@dataclass(frozen=True, order=True)
class Binding:
    """``from module import name as alias`` (``module`` empty: ``import name as alias``)."""

    module: str  # with its leading dots
    name: str
    alias: str  # the name bound

    @property
    def is_pytest(self) -> bool:
        """``import pytest``, which the loader module has anyway."""
        return (self.module, self.name, self.alias) == ("", "pytest", "pytest")


def import_bindings(tree: cst.Module, names: Collection[str]) -> list[Binding] | None:
    """The bindings of ``names`` by ``tree``, one import line; None when ``tree`` is something else (a block)."""
    if len(tree.body) != 1 or not isinstance(line := tree.body[0], cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    statement = line.body[0]
    if not isinstance(statement, (cst.Import, cst.ImportFrom)) or isinstance(statement.names, cst.ImportStar):
        return None
    code = cst.Module([]).code_for_node
    module = ""
    if isinstance(statement, cst.ImportFrom):
        module = "." * len(statement.relative) + (code(statement.module) if statement.module else "")
    return [
        Binding(module, code(alias.name), bound_name(alias)) for alias in statement.names if bound_name(alias) in names
    ]


def import_lines(bindings: Iterable[Binding], blocks: Iterable[str] = ()) -> list[str]:
    """One line per ``import`` and per module imported from, sorted; then ``blocks`` (copied as they are)."""
    plain: set[str] = set()
    imported: dict[str, set[str]] = {}
    for b in set(bindings):
        if b.is_pytest:
            continue
        named = b.name if b.alias == b.name.split(".")[0] and not b.module else f"{b.name} as {b.alias}"
        if b.module:
            imported.setdefault(b.module, set()).add(b.name if b.alias == b.name else f"{b.name} as {b.alias}")
        else:
            plain.add(named)
    lines = [f"import {name}\n" for name in sorted(plain)]
    lines += [f"from {module} import {', '.join(sorted(names))}\n" for module, names in sorted(imported.items())]
    return lines + sorted(set(blocks))


def block_import(tree: cst.Module, names: Collection[str]) -> str | None:
    """A block of imports (``try: import x`` …) filtered to ``names``, as the fallback for what is no plain import."""
    return filter_import(tree, names)
