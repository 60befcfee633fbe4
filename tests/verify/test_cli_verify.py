"""``splitter verify`` end to end: the migrate backup, failures of pytest itself, JSON, options."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from splitter.safety.manifest import (
    FileAction,
    Manifest,
    ManifestFile,
    save_manifest,
    sha256_of,
)
from tests.conftest import run_cli
from tests.verify.splits import copy_corpus, edit, move_fixtures


def migrate_by_hand(root: Path, duplicate_state: bool) -> Path:
    """Move fixtures of shared_state into their own module, with a backup and manifest.

    Done right, module-level state is imported; done wrong, ``REGISTRY`` is duplicated.
    """
    tests = root / "tests"
    backup = tests / ".splitter/backup/conftest.py"
    backup.parent.mkdir(parents=True)
    shutil.copyfile(tests / "conftest.py", backup)
    module = tests / "conftest_moved.py"
    moved = {"registry"} if duplicate_state else {"hub", "hub_with_cache"}
    move_fixtures(tests / "conftest.py", moved, module, "tests.conftest")
    if duplicate_state:
        edit(module, "from tests.conftest import REGISTRY", "REGISTRY = {}")
    with (tests / "conftest.py").open("a") as conftest:
        conftest.write(
            f"\nfrom tests.conftest_moved import {', '.join(sorted(moved))}  # noqa: E402\n"
        )
    files = (
        ManifestFile(
            "conftest.py",
            sha256_of(tests / "conftest.py"),
            FileAction.REPLACED,
            ".splitter/backup/conftest.py",
        ),
        ManifestFile("conftest_moved.py", sha256_of(module), FileAction.CREATED),
    )
    save_manifest(
        tests,
        Manifest(
            "0.1.0",
            "2025-01-31T12:00:00+00:00",
            "conftest.py",
            ".splitter/backup/conftest.py",
            sha256_of(backup),
            files,
        ),
    )
    return tests / "conftest.py"


@pytest.mark.parametrize(
    ("duplicate_state", "code", "expected"),
    [
        (False, 0, "✓ fixture API unchanged"),
        (True, 1, "no longer share one `REGISTRY` object"),
    ],
)
def test_compares_with_the_legacy_conftest_from_the_backup(
    tmp_path, duplicate_state, code, expected
):
    conftest = migrate_by_hand(copy_corpus("shared_state", tmp_path), duplicate_state)
    result = run_cli("verify", str(conftest))
    assert result.returncode == code, result.stdout + result.stderr
    assert expected in result.stdout and "the legacy conftest" in result.stdout


def test_without_backup_or_options_is_bad_input(tmp_path):
    result = run_cli(
        "verify", str(copy_corpus("shared_state", tmp_path) / "tests/conftest.py")
    )
    assert result.returncode == 2
    assert (
        "no migration backup found next to" in result.stderr
        and "use --against or --save" in result.stderr
    )


def test_save_with_pytest_args_and_subset(tmp_path):
    root = copy_corpus("shared_state", tmp_path)
    snapshot, subset = tmp_path / "snapshot.json", str(root / "tests/test_identity.py")
    result = run_cli(
        "verify",
        str(root),
        "--save",
        str(snapshot),
        "--subset",
        subset,
        "--",
        "-k",
        "counter",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    saved = json.loads(snapshot.read_text())
    nodeids = [i["nodeid"] for i in saved["api"]["items"]]
    assert nodeids and all("counter" in nodeid for nodeid in nodeids)
    assert [m["label"] for m in saved["measurements"]] == [
        "collect",
        "run",
        "collect tests/test_identity.py",
    ]
    assert set(saved["api"]["outcomes"]) == set(nodeids)


def test_a_tree_pytest_cannot_collect_fails_with_the_tail_of_its_output(tmp_path):
    root = copy_corpus("shared_state", tmp_path)
    snapshot = tmp_path / "snapshot.json"
    assert run_cli("verify", str(root), "--save", str(snapshot)).returncode == 0
    (root / "tests/conftest.py").write_text("def broken(:\n")
    result = run_cli("verify", str(root), "--against", str(snapshot), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["ok"] is False
    (failure,) = report["pytest_failures"]
    assert failure["exit_code"] == 4 and "SyntaxError" in failure["tail"]
    refused = run_cli("verify", str(root), "--save", str(snapshot))
    assert (
        refused.returncode == 2
        and "pytest did not complete on the current tree" in refused.stderr
    )
