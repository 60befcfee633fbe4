"""``splitter join``'s codemod: the split modules merged back into one conftest (pure).

The inverse of the split: the root's hand-written statements stay where they
are, byte for byte, but for its imports from the split modules; the root's
generated block (a 0.1.0 split: its loader block) is replaced by the definitions
of the split modules in their current form (module by module, in the loader's
order — the eager ones ran there already); a 0.1.0 split's lazy tail goes. Each import is
kept once: an alias the root or an earlier module already imports the same way
is dropped, and so are the modules' docstrings, their ``from __future__`` lines
and their imports of one another.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from splitter.analyze.split import SplitModule, SplitRoot, statement_regions
from splitter.errors import UserError
from splitter.model import Definition, Kind
from splitter.render.imports import is_future_import

ImportKey = tuple[str, str, str]  # (from module or "", imported name, bound name)


def render_joined(root: SplitRoot, modules: Sequence[SplitModule]) -> str:
    """The root conftest with every split module's definitions in place of the loader (unformatted)."""
    source = root.model.source
    _check_no_clash(root, modules)
    merger = _Merger(root)
    for module in modules:
        merger.add(module, root.stems)
    pieces: list[str] = []
    regions = statement_regions(source)
    first = root.loader[0] if root.loader else None
    for index, (start, end) in enumerate(regions):
        if index == first:
            pieces.append("\n\n" + merger.text().strip("\n") + "\n")
        elif index not in root.generated and not _imports_sibling(root.model.definitions[index].statement, root.stems):
            pieces.append(source[start:end])
    head = source[: regions[0][0]] if regions else source
    tail = source[regions[-1][1] :] if regions else ""
    return head + "".join(pieces) + tail


class _Merger:
    """The modules' statements, merged: each import once, each copied block once.

    ``if TYPE_CHECKING:``-style blocks of imports, which migrate copies filtered into
    every module, become one block per condition holding every import they had.
    """

    def __init__(self, root: SplitRoot) -> None:
        self.seen: set[ImportKey] = {key for d in root.hand_written for key in _import_keys(d.statement)}
        self.copied = {statement_code(d) for d in root.hand_written}
        self.pieces: list[str] = []
        self.guarded: dict[str, tuple[int, cst.If, set[ImportKey]]] = {}

    def text(self) -> str:
        """The merged statements."""
        return "".join(self.pieces)

    def add(self, module: SplitModule, stems: Sequence[str]) -> None:
        """Merge one module's statements (its docstring, future imports and sibling imports aside)."""
        source = module.model.source
        regions = statement_regions(source)
        self.pieces.append("\n\n")
        for d in module.model.definitions:
            if d.kind is Kind.DOCSTRING or is_future_import(d.tree) or _imports_sibling(d.statement, stems):
                continue
            if d.kind is Kind.IMPORT:
                text = _new_aliases(d, self.seen)
                if text is not None:
                    self.pieces.append(text)
            elif statement_code(d) not in self.copied and not self.merged_block(d):
                self.copied.add(statement_code(d))
                self.pieces.append(source[slice(*regions[d.index])])

    def merged_block(self, d: Definition) -> bool:
        """Whether ``d`` is an ``if X:`` block of imports, folded into the first block of the same condition."""
        block = d.statement
        if not isinstance(block, cst.If) or block.orelse is not None or not _imports_conditionally(d):
            return False
        lines = list(block.body.body)
        if not all(_import_keys(line) for line in lines if isinstance(line, cst.BaseStatement)):
            return False
        condition = cst.Module([]).code_for_node(block.test)
        if condition not in self.guarded:
            keys = {key for line in lines if isinstance(line, cst.BaseStatement) for key in _import_keys(line)}
            self.guarded[condition] = (len(self.pieces), block, keys)
            return False
        index, first, keys = self.guarded[condition]
        added = [line for line in lines if isinstance(line, cst.SimpleStatementLine) and _new_line(line, keys)]
        if added:
            first = first.with_changes(body=first.body.with_changes(body=[*first.body.body, *added]))
            self.guarded[condition] = (index, first, keys)
            self.pieces[index] = cst.Module([]).code_for_node(first)
        return True


def _new_line(line: cst.SimpleStatementLine, keys: set[ImportKey]) -> cst.SimpleStatementLine | None:
    """``line`` (an import) if it imports anything ``keys`` lacks; the keys updated."""
    fresh = set(_import_keys(line)) - keys
    keys.update(fresh)
    return line if fresh else None


def _new_aliases(d: Definition, seen: set[ImportKey]) -> str | None:
    """The import statement without the aliases already imported the same way; None if nothing is left."""
    statement = d.statement
    keys = _import_keys(statement)
    fresh = [key not in seen for key in keys]
    seen.update(keys)
    if all(fresh):
        return d.source
    if not any(fresh) or not isinstance(statement, cst.SimpleStatementLine):
        return None
    line = statement.body[0]
    assert isinstance(line, (cst.Import, cst.ImportFrom)) and not isinstance(line.names, cst.ImportStar)
    kept = [alias for alias, new in zip(line.names, fresh) if new]
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    changed = statement.with_changes(body=[line.with_changes(names=kept)])
    return cst.Module([]).code_for_node(changed)


def _import_keys(statement: cst.BaseStatement) -> list[ImportKey]:
    """One key per alias of a one-import line; none for anything else."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return []
    line = statement.body[0]
    code = cst.Module([]).code_for_node
    if isinstance(line, cst.Import):
        return [("", code(a.name), code(a.asname.name) if a.asname else code(a.name)) for a in line.names]
    if isinstance(line, cst.ImportFrom) and not isinstance(line.names, cst.ImportStar):
        module = "." * len(line.relative) + (code(line.module) if line.module else "")
        return [(module, code(a.name), code(a.asname.name) if a.asname else code(a.name)) for a in line.names]
    return []


def _imports_sibling(statement: cst.BaseStatement, stems: Sequence[str]) -> bool:
    keys = _import_keys(statement)
    return bool(keys) and keys[0][0].lstrip(".") in stems


def statement_code(d: Definition) -> str:
    """A statement's code without the blank lines and comments before it."""
    statement = d.statement
    assert isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    return cst.Module([]).code_for_node(statement.with_changes(leading_lines=())).strip()


def _imports_conditionally(d: Definition) -> bool:
    """``if TYPE_CHECKING:`` or ``try: import x`` blocks, which migrate copies (filtered) into each module."""
    return d.kind is Kind.CONDITIONAL and bool(d.imports) and not d.fixtures


def _check_no_clash(root: SplitRoot, modules: Sequence[SplitModule]) -> None:
    """No two places define one module-level name differently: in one file the second would replace the first."""
    owners: dict[str, tuple[str, str]] = {}
    places = [("the root conftest", root.hand_written), *((f"{m.stem}.py", m.members) for m in modules)]
    for place, definitions in places:
        for d in definitions:
            if d.kind is Kind.IMPORT or _imports_conditionally(d):
                continue
            for name in d.names:
                other, code = owners.setdefault(name, (place, statement_code(d)))
                if other != place and code != statement_code(d):
                    raise UserError(
                        f"cannot join: {name!r} is defined in both {other} and {place}; rename one of them"
                    )
