"""The split a person would keep (issue 20): the tiers and one loader, and a root conftest
that is still the user's file. The real CLI on the monolith corpus, read back with a diff."""

from __future__ import annotations

import ast
import difflib
from pathlib import Path

from tests.corpora import CORPUS

TIERS = {"conftest_base", "conftest_mocks", "conftest_services", "conftest_real_services", "conftest_e2e"}


def new_python_files(before: Path, after: Path) -> set[str]:
    return {p.name for p in after.glob("*.py")} - {p.name for p in before.glob("*.py")}


def split_import_lines(source: str, stems: set[str]) -> set[int]:
    """Line numbers (1-based) of the root's imports from the split modules."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] in stems:
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def test_the_monolith_splits_into_its_tiers_and_one_loader(migrated_monolith: Path) -> None:
    new = new_python_files(CORPUS / "monolith" / "tests", migrated_monolith / "tests")
    assert len(new) <= 6, sorted(new)
    assert {Path(name).stem for name in new} <= TIERS | {"conftest_loader"}


def test_the_root_conftest_differs_only_by_what_moved_and_one_short_block(migrated_monolith: Path) -> None:
    original = (CORPUS / "monolith" / "tests" / "conftest.py").read_text(encoding="utf-8").splitlines()
    root_source = (migrated_monolith / "tests" / "conftest.py").read_text(encoding="utf-8")
    root = root_source.splitlines()
    stems = {p.stem for p in (migrated_monolith / "tests").glob("conftest_*.py")}
    allowed = split_import_lines(root_source, stems)
    added = [
        (number, line)
        for tag, _, _, start, end in difflib.SequenceMatcher(a=original, b=root, autojunk=False).get_opcodes()
        if tag in ("insert", "replace")
        for number, line in zip(range(start + 1, end + 1), root[start:end])
        if line.strip() and number not in allowed
    ]
    assert len(added) <= 20, "\n".join(f"{n}: {line}" for n, line in added)
