"""The projects the savings are measured on: a copy as shipped and a migrated copy of each.

The corpora under fixtures_corpus/ are never touched: each is copied twice to a
scratch directory, and the second copy is migrated the way a user would,
``splitter migrate <conftest> --yes --no-verify`` (import costs measured, as by
default). Empty projects (the floor) are made here too.
"""

from __future__ import annotations

import compileall
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from sampling import run_measured

IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".splitter")
EMPTY_INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"


@dataclass(frozen=True)
class Project:
    """A corpus as shipped (``before``) and migrated (``after``)."""

    name: str
    before: Path
    after: Path
    conftest: str  # relative to the project, e.g. tests/conftest.py
    subsets: tuple[str, ...]  # paths collected on their own too, e.g. tests/unit
    split: bool  # whether the migration changed anything
    modules: int  # how many modules it wrote beside the conftest


def corpus_conftest(corpus: Path) -> Path | None:
    """``tests/conftest.py``, or the rootdir one (as tests/corpora.py picks it)."""
    for candidate in (corpus / "tests" / "conftest.py", corpus / "conftest.py"):
        if candidate.is_file():
            return candidate
    return None


def corpora(root: Path) -> list[Path]:
    """Every corpus folder with a conftest, the monolith first."""
    found = [d for d in sorted(root.iterdir()) if d.is_dir() and corpus_conftest(d)]
    return sorted(found, key=lambda d: d.name != "monolith")


def prepare(corpus: Path, scratch: Path) -> Project:
    """Copy ``corpus`` twice and migrate the second copy."""
    conftest = corpus_conftest(corpus)
    assert conftest is not None
    relative = conftest.relative_to(corpus).as_posix()
    before = scratch / "before" / corpus.name
    after = scratch / "after" / corpus.name
    for copy in (before, after):
        shutil.copytree(corpus, copy, ignore=IGNORED)
    run_measured(
        [sys.executable, "-m", "splitter", "migrate", relative, "--yes", "--no-verify"],
        cwd=after,
    )
    from splitter.migrate.migration import is_migrated

    split = is_migrated((after / relative).read_text(encoding="utf-8"))
    written = {p.name for p in (after / relative).parent.glob("*.py")}
    shipped = {p.name for p in conftest.parent.glob("*.py")}
    for copy in (before, after):
        compileall.compile_dir(copy, quiet=2)
    unit = (corpus / "tests" / "unit").is_dir()
    return Project(
        corpus.name,
        before,
        after,
        relative,
        ("tests/unit",) if unit else (),
        split,
        len(written - shipped),
    )


def empty_project(scratch: Path) -> Path:
    """The floor: a project with a pytest.ini and one trivial test."""
    project = scratch / "empty"
    project.mkdir(parents=True)
    (project / "pytest.ini").write_text(EMPTY_INI)
    (project / "test_trivial.py").write_text("def test_trivial():\n    assert True\n")
    return project
