"""Unusual but valid input and trees: migrate verifies, restore gives the tree back byte for byte.

Line endings, BOM, tabs, a non-UTF-8 encoding declaration and very long lines
must survive; the generated files keep the conftest's newline style and are
valid Python in the encoding they declare (UTF-8 unless the conftest's
declaration is kept).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.safety.conftest import TOY_CONFTEST, TOY_TESTS, Toy, make_toy, run_splitter

MIGRATE = ("migrate", "tests/conftest.py", "--yes", "--no-measure", "--full-run")
RESTORE = ("restore", "tests/conftest.py")
LONG = "x" * 6000


def tabs(source: str) -> str:
    return re.sub(r"^(?:    )+", lambda m: "\t" * (len(m.group(0)) // 4), source, flags=re.MULTILINE)


VARIANTS: dict[str, bytes] = {
    "crlf": TOY_CONFTEST.replace("\n", "\r\n").encode(),
    "bom": b"\xef\xbb\xbf" + TOY_CONFTEST.encode(),
    "tabs": tabs(TOY_CONFTEST).encode(),
    "latin-1": ("# -*- coding: latin-1 -*-\n" + TOY_CONFTEST.replace('"hello"', '"h\xe9llo"')).encode("latin-1"),
    "long-lines": (TOY_CONFTEST + f'\nBANNER = "{LONG}"\n\n\n@pytest.fixture\ndef banner():\n    return BANNER\n').encode(),
    "crlf-latin-1": ("# -*- coding: latin-1 -*-\n" + TOY_CONFTEST.replace('"hello"', '"h\xe9llo"'))
    .replace("\n", "\r\n")
    .encode("latin-1"),
}


@pytest.mark.parametrize("conftest", VARIANTS.values(), ids=VARIANTS.keys())
def test_odd_source_migrates_verified_and_restores_byte_for_byte(tmp_path: Path, conftest: bytes) -> None:
    extra = "\n\ndef test_banner(banner):\n    assert len(banner) == 6000\n" if b"BANNER" in conftest else ""
    toy = make_toy(tmp_path / "project", conftest, TOY_TESTS + extra)
    before = toy.state()

    migrated = run_splitter(*MIGRATE, cwd=toy.root)

    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "fixture API unchanged" in migrated.stdout
    crlf = conftest.split(b"\n", 1)[0].endswith(b"\r")
    for name in ("conftest.py", "conftest_base.py", "conftest_mocks.py"):
        data = (toy.tests / name).read_bytes()
        compile(data, name, "exec")  # valid in the encoding it declares
        assert data.count(b"\r\n") == (data.count(b"\n") if crlf else 0), name
    assert run_splitter(*RESTORE, cwd=toy.root).returncode == 0
    assert toy.state() == before


def no_rootdir(tmp_path: Path) -> Toy:
    """No pytest.ini, no package: the conftest's directory is the rootdir."""
    return make_toy(tmp_path / "project", ini=False)


def with_toy(tmp_path: Path) -> Toy:
    return make_toy(tmp_path / "project")


@pytest.mark.parametrize("make", [no_rootdir, with_toy], ids=["outside-any-rootdir", "toy"])
def test_migrate_twice_is_a_no_op_and_restore_undoes_it(tmp_path: Path, make: Callable[[Path], Toy]) -> None:
    toy = make(tmp_path)
    before = toy.state()
    assert run_splitter(*MIGRATE, cwd=toy.root).returncode == 0
    migrated = toy.state()

    again = run_splitter(*MIGRATE, cwd=toy.root)

    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert toy.state() == migrated
    assert run_splitter(*RESTORE, cwd=toy.root).returncode == 0
    assert toy.state() == before


def older_tool_version(toy: Toy) -> None:
    manifest = toy.backup / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"tool_version": "', '"tool_version": "0.0.1-'))


def root_conftest_deleted(toy: Toy) -> None:
    toy.conftest.unlink()


def module_deleted(toy: Toy) -> None:
    (toy.tests / "conftest_mocks.py").unlink()


@pytest.mark.parametrize("change", [older_tool_version, root_conftest_deleted, module_deleted])
def test_restore_works_after(toy: Toy, change: Callable[[Toy], None]) -> None:
    """A migration by another splitter version (same manifest schema) restores; so does a tree
    where generated files were deleted by hand (a missing file is not an edit)."""
    before = toy.state()
    toy.migrate()
    change(toy)

    restored = run_splitter(*RESTORE, cwd=toy.root)

    assert restored.returncode == 0, restored.stderr
    assert toy.state() == before


def test_restore_leaves_what_is_not_ours_in_a_shared_backup_dir(toy: Toy) -> None:
    shared = toy.root / "backups"
    shared.mkdir()
    (shared / "notes.txt").write_text("mine\n")
    before = toy.state()
    toy.migrate(backup_dir=shared)
    assert json.loads((shared / "manifest.json").read_text())["backup"] == "../backups/backup/conftest.py"

    restored = run_splitter(*RESTORE, "--backup-dir", str(shared), cwd=toy.root)

    assert restored.returncode == 0, restored.stderr
    assert toy.state() == before


def test_forced_restore_discards_edits(toy: Toy) -> None:
    before = toy.state()
    toy.migrate()
    (toy.tests / "conftest_base.py").write_text("EDITED = 1\n")

    assert run_splitter(*RESTORE, cwd=toy.root).returncode == 1
    assert run_splitter(*RESTORE, "--force", cwd=toy.root).returncode == 0
    assert toy.state() == before
