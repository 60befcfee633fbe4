"""The corpora of real pytest projects under fixtures_corpus/, for golden and end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "fixtures_corpus"


def corpus_conftest(corpus: Path) -> Path | None:
    """A corpus's conftest: ``tests/conftest.py``, or the rootdir one when it has no other."""
    for candidate in (corpus / "tests" / "conftest.py", corpus / "conftest.py"):
        if candidate.is_file():
            return candidate
    return None


def corpora() -> list[tuple[str, Path]]:
    """(name, conftest) of every corpus, by listing fixtures_corpus/."""
    if not CORPUS.is_dir():
        return []
    found = [
        (d.name, corpus_conftest(d)) for d in sorted(CORPUS.iterdir()) if d.is_dir()
    ]
    return [(name, conftest) for name, conftest in found if conftest is not None]


def corpus_params() -> list[object]:
    """pytest params, one per corpus, with the corpus name as id."""
    return [pytest.param(conftest, id=name) for name, conftest in corpora()]
