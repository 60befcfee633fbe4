"""What every generated module must be: black-clean, parseable, no unused import, and
stable (migrating the output again is a no-op).

An import inside ``try``/``if``/``with`` is behaviour (an optional-dependency probe such
as ``try: import plugin  # noqa: F401 / else: HAS_PLUGIN = True``), so only top-level
import statements must be used."""

from __future__ import annotations

import difflib
from pathlib import Path

import black
import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ScopeProvider

from splitter.migrate.migration import MigrateSettings, is_migrated, prepare_migration
from splitter.render.format import load_black_mode
from tests.corpora import corpus_params


def unused_imports(source: str) -> list[str]:
    """Names bound by top-level import statements that nothing in ``source`` reads."""
    module = cst.parse_module(source)
    top_level = {
        id(small)
        for line in module.body
        if isinstance(line, cst.SimpleStatementLine)
        for small in line.body
    }
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = wrapper.resolve(ScopeProvider)
    referenced: dict[tuple[int, str], bool] = {}
    for scope in {s for s in scopes.values() if s is not None}:
        for assignment in scope.assignments:
            node = getattr(assignment, "node", None)
            if not isinstance(node, (cst.Import, cst.ImportFrom)) or id(node) not in top_level:
                continue
            if isinstance(node, cst.ImportFrom) and node.module and node.module.value == "__future__":
                continue
            # ``import a.b`` binds ``a`` and ``a.b``; either being read uses it.
            key = (id(node), assignment.name.split(".")[0])
            referenced[key] = referenced.get(key, False) or bool(assignment.references)
    return sorted(name for (_, name), used in referenced.items() if not used)


@pytest.fixture(scope="module", params=corpus_params())
def migration(request):
    migration = prepare_migration(MigrateSettings(request.param, measure=False))
    assert migration is not None
    return migration


def test_every_file_is_black_clean_when_the_conftest_is(migration) -> None:
    mode = load_black_mode(migration.conftest.parent)
    source = migration.analysis.model.source
    for new in migration.files:
        if black.format_str(source, mode=mode) == source:
            assert black.format_str(new.text, mode=mode) == new.text, new.name


def test_statements_that_stay_in_the_root_are_kept_byte_for_byte(migration) -> None:
    root = next(f for f in migration.files if f.name == migration.conftest.name)
    model = migration.analysis.model
    assert root.text.startswith(model.header)
    for placement in migration.plan.placements:
        if placement.group is None and not placement.copied:
            assert model.definitions[placement.definition].source.strip("\n") in root.text


def test_split_modules_import_only_what_they_use(migration) -> None:
    for new in migration.files:
        if new.name != migration.conftest.name:
            assert unused_imports(new.text) == [], new.name


def test_root_imports_are_used_or_reexported(migration) -> None:
    """The root imports fixtures from eager modules so pytest registers them: those count."""
    root = next(f for f in migration.files if f.name == migration.conftest.name)
    exported = {
        name
        for d in migration.analysis.model.definitions
        for name in d.names
        if d.fixtures or name in migration.plan.test_imports or name in migration.plan.root_needs
    }
    assert [n for n in unused_imports(root.text) if n not in exported] == []


def test_the_root_gains_one_short_block_and_the_imports_of_what_it_uses(migration) -> None:
    """The root differs from the conftest by the definitions that moved, the imports of what
    it reads from the split modules, and at most 20 other new lines (splitter's block)."""
    root = next(f for f in migration.files if f.name == migration.conftest.name)
    stems = {f.name[: -len(".py")] for f in migration.files} - {"conftest"}
    module = cst.parse_module(root.text)
    kept = [s for s in module.body if not _imports_from(s, stems)]
    lines = module.with_changes(body=kept).code.splitlines()
    matcher = difflib.SequenceMatcher(None, migration.analysis.model.source.splitlines(), lines, autojunk=False)
    added = [
        line
        for tag, _, _, start, end in matcher.get_opcodes()
        if tag in ("insert", "replace")
        for line in lines[start:end]
        if line.strip()
    ]
    assert len(added) <= 20, "\n".join(added)


def _imports_from(statement: cst.BaseStatement, stems: set[str]) -> bool:
    line = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    return isinstance(line, cst.ImportFrom) and line.module is not None and cst.Module([]).code_for_node(line.module) in stems


def test_migrating_the_output_again_is_a_no_op(migration) -> None:
    root = next(f for f in migration.files if f.name == migration.conftest.name)
    assert is_migrated(root.text)


NOT_BLACK = """\
# -*- coding: utf-8 -*-
\"\"\"Root conftest.\"\"\"
from __future__ import annotations

import os
from unittest.mock import MagicMock

import pytest

os.environ.setdefault("APP_MODE", 'test')


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "slow: slow tests")


@pytest.fixture
def settings():
    return {'debug': True,
            'name': "x"}


@pytest.fixture
def client(settings):
    return MagicMock(settings = settings)
"""
# The root keeps its statements; ``import pytest`` goes with the fixtures (only they used it).
KEPT = NOT_BLACK.split("from unittest")[0] + "\n" + NOT_BLACK.split("import pytest\n\n")[1].split("\n\n\n@pytest")[0]


@pytest.mark.parametrize("uses_black", [False, True], ids=["no-black", "tool-black"])
def test_a_conftest_not_formatted_by_black(tmp_path: Path, uses_black: bool) -> None:
    """The root keeps its statements byte for byte; moved code is reformatted only in a black project."""
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n" if uses_black else "")
    (tmp_path / "tests").mkdir()
    conftest = tmp_path / "tests" / "conftest.py"
    conftest.write_text(NOT_BLACK)
    migration = prepare_migration(MigrateSettings(conftest, measure=False))
    assert migration is not None
    files = {f.name: f.text for f in migration.files}
    root, generated = files["conftest.py"].split("# -- splitter: generated")
    assert root.rstrip("\n") == KEPT.rstrip("\n")
    mode = black.Mode(line_length=100 if uses_black else 88)
    for loader in ("# -- splitter: generated" + generated, files["conftest_loader.py"]):
        assert black.format_str(loader, mode=mode) == loader
    moved = "return {'debug': True,\n            'name': \"x\"}"
    assert (moved in files["conftest_base.py"]) is not uses_black
    assert ('return {"debug": True, "name": "x"}' in files["conftest_base.py"]) is uses_black
