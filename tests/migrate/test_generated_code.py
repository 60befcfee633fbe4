"""What every generated module must be: black-clean, parseable, no unused import, and
stable (migrating the output again is a no-op).

An import inside ``try``/``if``/``with`` is behaviour (an optional-dependency probe such
as ``try: import plugin  # noqa: F401 / else: HAS_PLUGIN = True``), so only top-level
import statements must be used."""

from __future__ import annotations

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


def test_every_file_is_black_clean(migration) -> None:
    mode = load_black_mode(migration.conftest.parent)
    for new in migration.files:
        assert black.format_str(new.text, mode=mode) == new.text, new.name


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


def test_migrating_the_output_again_is_a_no_op(migration) -> None:
    root = next(f for f in migration.files if f.name == migration.conftest.name)
    assert is_migrated(root.text)
