"""The self-check that runs before anything is written: a broken split never reaches the disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from splitter.plan.check import split_problems
from splitter.migrate.migration import Migration, MigrateSettings, prepare_migration


@pytest.fixture
def migration(corpus_copy: Callable[[str], Path]) -> Migration:
    prepared = prepare_migration(MigrateSettings(corpus_copy("monolith"), measure=False))
    assert prepared is not None
    return prepared


def problems(migration: Migration, change: Callable[[dict[str, str]], None]) -> tuple[str, ...]:
    files = {f.name: f.text for f in migration.files}
    change(files)
    return split_problems(migration.analysis.model, migration.plan, files)


def test_the_rendered_split_passes(migration: Migration) -> None:
    assert problems(migration, lambda files: None) == ()


def test_a_file_that_does_not_parse(migration: Migration) -> None:
    def break_base(files: dict[str, str]) -> None:
        files["conftest_base.py"] += "def (:\n"

    (problem,) = problems(migration, break_base)
    assert problem.startswith("conftest_base.py does not parse: invalid syntax (line ")


def test_a_definition_lost_or_written_twice(migration: Migration) -> None:
    moved = next(d for d in migration.analysis.model.definitions if d.fixture and d.fixture.name == "frozen_clock")
    home = next(name for name, text in ((f.name, f.text) for f in migration.files) if "def frozen_clock(" in text)
    twice: Callable[[dict[str, str]], None] = lambda files: files.update({home: files[home] + "\n\n" + moved.source})
    lost: Callable[[dict[str, str]], None] = lambda files: files.update(
        {home: files[home].replace(moved.source.strip(), "")}
    )
    where = f"the definition at line {moved.span.start_line}"
    assert problems(migration, twice) == (f"{where} appears 2 times in the output",)
    assert problems(migration, lost) == (f"{where} appears 0 times in the output",)


def test_docstrings_black_normalises_are_the_same_definition(corpus_copy: Callable[[str], Path]) -> None:
    """``\"\"\"Text.\\n    \"\"\"`` becomes ``\"\"\"Text.\"\"\"`` in black's output: still the same definition."""
    prepared = prepare_migration(MigrateSettings(corpus_copy("wild_black_docstring"), measure=False))
    assert prepared is not None
    files = {f.name: f.text for f in prepared.files}
    # the project does not use black: the definition is copied as it is, and the check
    # that every definition appears once must still find it
    assert "def box(shout):" in files["conftest_base.py"]
    assert split_problems(prepared.analysis.model, prepared.plan, files) == ()
