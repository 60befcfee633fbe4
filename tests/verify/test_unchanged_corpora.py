"""The invariant: ``splitter verify`` of an unchanged tree exits 0 on every corpus.

Each corpus is copied, saved with ``--save`` and compared with ``--against``:
two separate pytest runs of the same tree, tests included. Anything that differs
between them (hash seed, a fixture registered twice, module paths) would be a
false difference, which would make migrate roll back a correct split.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.corpora import corpora
from tests.verify.splits import copy_corpus


@pytest.mark.parametrize("corpus", [name for name, _ in corpora()])
def test_verify_of_an_unchanged_corpus_exits_0(corpus: str, tmp_path: Path) -> None:
    root = copy_corpus(corpus, tmp_path)
    snapshot = tmp_path / "snapshot.json"
    saved = run_cli("verify", str(root), "--save", str(snapshot))
    assert saved.returncode == 0, saved.stdout + saved.stderr
    again = run_cli("verify", str(root), "--against", str(snapshot))
    assert again.returncode == 0, again.stdout + again.stderr
    assert (
        "✓ fixture API unchanged" in again.stdout and "the outcomes of" in again.stdout
    )
