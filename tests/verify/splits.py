"""Make hand-made splits of a corpus copy, right or deliberately wrong (test helpers)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from tests.conftest import CORPUS


def copy_corpus(name: str, destination: Path) -> Path:
    """A fresh copy of fixtures_corpus/<name>, without caches."""
    target = destination / name
    shutil.copytree(
        CORPUS / name,
        target,
        ignore=shutil.ignore_patterns(".pytest_cache", "__pycache__"),
    )
    return target


def move_fixtures(
    conftest: Path, names: set[str], module: Path, import_from: str
) -> str:
    """Cut top-level functions out of a conftest into ``module``, the way a careful hand split does.

    The new module gets the conftest's imports plus ``from <import_from> import``
    of the module-level names the moved code uses. Returns the module's text.
    """
    source = conftest.read_text()
    tree = ast.parse(source)
    moved = [
        n
        for n in tree.body
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name in names
    ]
    assert {n.name for n in moved} == names, f"not all of {names} found in {conftest}"
    spans = [
        (
            n.decorator_list[0].lineno if n.decorator_list else n.lineno,
            n.end_lineno or n.lineno,
        )
        for n in moved
    ]
    lines = source.splitlines(keepends=True)
    blocks = ["".join(lines[start - 1 : end]) for start, end in spans]
    kept = [
        line
        for number, line in enumerate(lines, 1)
        if not any(s <= number <= e for s, e in spans)
    ]
    conftest.write_text("".join(kept))
    imports = [
        ast.get_source_segment(source, n) or ""
        for n in tree.body
        if isinstance(n, (ast.Import, ast.ImportFrom))
    ]
    used = sorted(_names_used(blocks) & _module_globals(tree))
    shared = [f"from {import_from} import {name}" for name in used]
    text = "\n".join([*imports, *shared, "", "", *blocks]) + "\n"
    module.write_text(text)
    return text


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old``."""
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new))


def _names_used(blocks: list[str]) -> set[str]:
    return {
        n.id
        for block in blocks
        for n in ast.walk(ast.parse(block))
        if isinstance(n, ast.Name)
    }


def _module_globals(tree: ast.Module) -> set[str]:
    """Names bound at module level by assignments, helpers and classes (not fixtures, not imports)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {
                t.id
                for target in targets
                for t in ast.walk(target)
                if isinstance(t, ast.Name)
            }
        elif isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ) and not _is_fixture(node):
            names.add(node.name)
    return names


def _is_fixture(node: ast.stmt) -> bool:
    decorators = getattr(node, "decorator_list", [])
    return any("fixture" in ast.unparse(d) for d in decorators)
