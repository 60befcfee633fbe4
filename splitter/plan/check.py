"""Check a rendered split before anything is written (pure), like Black's
``assert_equivalent``: every file parses, and every original definition appears
exactly once in the output, unchanged (compared as ASTs, so formatting may differ;
docstrings are compared the way Black's own ``assert_equivalent`` compares them,
because Black re-indents them and strips their trailing spaces).

Python's own parser does the check: black has already parsed every output
with its own, and ``ast`` is what will import them.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Mapping

from splitter.model import ConftestModel
from splitter.plan.assign import SplitPlan


DOCSTRING_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _dump(tree: ast.Module) -> list[str]:
    _normalize_docstrings(tree)
    _drop_leading_imports(tree)
    return [ast.dump(node) for node in tree.body]


def _drop_leading_imports(tree: ast.Module) -> None:
    """Every function body without the imports it starts with (after its docstring).

    The renderer moves heavy imports into the bodies that read them
    (:mod:`splitter.render.localize`); this check is about every definition being
    there once, and the verifier checks the moved imports exactly (docs/VERIFY.md).
    """
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = 1 if node.body and _bare_string(node.body[0]) is not None else 0
            end = start
            while end < len(node.body) and isinstance(node.body[end], (ast.Import, ast.ImportFrom)):
                end += 1
            node.body = node.body[:start] + node.body[end:] or [ast.Pass()]


def _normalize_docstrings(tree: ast.Module) -> None:
    """Make every docstring Black-invariant: each line stripped, blank ends dropped (as Black compares them).

    Every bare string statement of the module counts: a definition is parsed on its
    own, where a string statement from the middle of the conftest (code commented out
    with quotes) comes first and looks like a docstring, while in the output it does
    not. A bare string there is a no-op, so comparing it this way loses nothing.
    """
    for node in ast.walk(tree):
        if not isinstance(node, DOCSTRING_OWNERS) or not node.body:
            continue
        for statement in node.body if isinstance(node, ast.Module) else node.body[:1]:
            string = _bare_string(statement)
            if string is not None:
                lines = str(string.value).splitlines()
                string.value = "\n".join(line.strip() for line in lines).strip()


def _bare_string(node: ast.stmt) -> ast.Constant | None:
    """The string a statement consists of (a docstring, or code quoted out), if it is one."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
        return node.value
    return None


def split_problems(model: ConftestModel, plan: SplitPlan, files: Mapping[str, str]) -> tuple[str, ...]:
    """What is wrong with ``files`` as a split of ``model`` (empty when nothing is)."""
    problems: list[str] = []
    trees: list[ast.Module] = []
    for name, text in files.items():
        try:
            trees.append(ast.parse(text, name))
        except SyntaxError as exc:
            problems.append(f"{name} does not parse: {exc.msg} (line {exc.lineno})")
    if problems:
        return tuple(problems)
    output = Counter(dump for tree in trees for dump in _dump(tree))
    for placement in plan.placements:
        if placement.copied:
            continue
        d = model.definitions[placement.definition]
        for dump in _dump(ast.parse(d.source)):
            if output[dump] != 1:
                where = f"line {d.span.start_line}"
                problems.append(f"the definition at {where} appears {output[dump]} times in the output")
    return tuple(problems)
