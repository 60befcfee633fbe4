"""Golden files: the split of every corpus (``--no-measure``, so it is deterministic).

Input: ``fixtures_corpus/<name>/``. Expected output: ``tests/golden/migrate/<name>/``.
Regenerate them all after an intended change with:

    SPLITTER_REGEN=1 pytest tests/migrate/test_golden_split.py

then review the diff of tests/golden/migrate/ before committing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from splitter.migrate.migration import MigrateSettings, prepare_migration
from tests.corpora import corpus_params

GOLDEN = Path(__file__).parent.parent / "golden" / "migrate"
REGENERATE = os.environ.get("SPLITTER_REGEN") == "1"


def split_files(conftest: Path) -> dict[str, str]:
    migration = prepare_migration(MigrateSettings(conftest, measure=False))
    return {} if migration is None else {f.name: f.text for f in migration.files}


@pytest.mark.parametrize("conftest", corpus_params())
def test_split_matches_golden(conftest: Path) -> None:
    golden = GOLDEN / conftest.parents[1 if conftest.parent.name == "tests" else 0].name
    actual = split_files(conftest)
    if REGENERATE:
        shutil.rmtree(golden, ignore_errors=True)
        golden.mkdir(parents=True)
        for name, text in actual.items():
            (golden / name).write_text(text, encoding="utf-8")
    assert golden.is_dir(), f"missing {golden}; run SPLITTER_REGEN=1 pytest {__file__}"
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(golden.glob("*.py"))}
    assert actual == expected
