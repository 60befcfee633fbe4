"""``splitter profile``: run the suite with ``--fixture-memory`` and gather a profile.

The I/O edge of the profile: it runs pytest in a subprocess from the project's
rootdir, reads the plugin's JSON and the conftest modules, and — when a
migration backup (``.splitter/manifest.json``) sits beside the conftest — runs
the legacy tree too, in a temporary copy of the rootdir with the backup put
back. :mod:`splitter.memory.document` turns the result into Markdown.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splitter.errors import UserError
from splitter.files import find_rootdir
from splitter.safety.manifest import FileAction, Manifest, manifest_path
from splitter.safety.preflight import check_interpreter, check_not_interrupted
from splitter.memory.layout import Layout, make_layout
from splitter.memory.records import MemoryRun, from_json

Progress = Callable[[str], None]

JSON_NAME = "fixture-memory.json"
# Not copied into the temporary legacy tree: caches, VCS data and environments.
SKIPPED_IN_COPY = (
    ".git",
    ".hg",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
)
PYTEST_USAGE_ERRORS = {
    2: "was interrupted",
    3: "hit an internal error",
    4: "rejected its arguments",
}


@dataclass(frozen=True)
class ProfileSettings:
    """What ``splitter profile`` was asked to do."""

    conftest: Path
    output: Path
    pytest_args: tuple[str, ...] = ()
    python: str = sys.executable


@dataclass(frozen=True)
class TreeProfile:
    """One measured run of one tree (the project as it is, or its legacy version)."""

    label: str
    run: MemoryRun
    layout: Layout
    command: tuple[str, ...]  # the pytest command line, run from the rootdir
    seconds: float  # wall time of the whole pytest process, startup included
    returncode: int


@dataclass(frozen=True)
class Profile:
    """Everything the fixture memory profile document says."""

    rootdir: Path
    conftest: str  # relative to rootdir
    output: Path
    pytest_args: tuple[str, ...]
    current: TreeProfile
    legacy: TreeProfile | None
    migrated_at: str | None  # when the migration was made, from the manifest


def check_conftest(path: Path) -> Path:
    """The conftest to profile, or a one-sentence UserError."""
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.is_dir():
        raise UserError(f"{path} is a directory; give the conftest.py file inside it")
    if path.suffix != ".py":
        raise UserError(f"{path} is not a Python file (expected a conftest.py)")
    return path.resolve()


def profile_project(
    settings: ProfileSettings, progress: Progress = lambda _: None
) -> Profile:
    """Measure the project of ``settings.conftest`` (and its legacy tree, if migrated)."""
    conftest = check_conftest(settings.conftest)
    check_not_interrupted(conftest)
    check_interpreter(settings.python)
    rootdir = find_rootdir(conftest)
    relative = conftest.relative_to(rootdir).as_posix()
    manifest = read_manifest(conftest)
    label = "after the split" if manifest else "as it is"
    progress(f"running pytest on {rootdir.name} ({label}) with --fixture-memory")
    current = measure_tree(rootdir, relative, label, settings)
    legacy = None
    if manifest is not None:
        progress(
            "running pytest on the legacy conftest (temporary copy of the rootdir)"
        )
        legacy = measure_legacy(rootdir, relative, manifest, settings)
    return Profile(
        rootdir=rootdir,
        conftest=relative,
        output=settings.output,
        pytest_args=settings.pytest_args,
        current=current,
        legacy=legacy,
        migrated_at=None if manifest is None else manifest.created_at,
    )


def read_manifest(conftest: Path) -> Manifest | None:
    """The migration manifest beside the conftest, if the conftest was migrated."""
    path = manifest_path(conftest.parent)
    if not path.is_file():
        return None
    return Manifest.from_json(path.read_text(encoding="utf-8"), str(path))


def pytest_command(
    python: str, json_path: str, pytest_args: Sequence[str]
) -> tuple[str, ...]:
    """The pytest command line that measures with the plugin.

    The plugin normally loads through its entry point; only when autoloading is
    disabled is it named with ``-p`` (naming it while it also autoloads would
    register the module twice, which pytest refuses).
    """
    plugin = (
        ("-p", "splitter.memory.plugin")
        if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
        else ()
    )
    return (
        python,
        "-m",
        "pytest",
        *plugin,
        "-p",
        "no:cacheprovider",
        "--fixture-memory",
        "--fixture-memory-json",
        json_path,
        *pytest_args,
    )


def measure_tree(
    rootdir: Path, conftest: str, label: str, settings: ProfileSettings
) -> TreeProfile:
    """Run the suite of one tree with the plugin and read what it measured."""
    with tempfile.TemporaryDirectory(prefix="splitter-profile-") as scratch:
        json_path = Path(scratch) / JSON_NAME
        command = pytest_command(settings.python, str(json_path), settings.pytest_args)
        started = time.perf_counter()
        completed = subprocess.run(
            command, cwd=rootdir, capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - started
        check_pytest(completed, json_path)
        run = from_json(load_json(json_path))
    return TreeProfile(
        label=label,
        run=run,
        layout=read_layout(rootdir, conftest),
        command=pytest_command("python", JSON_NAME, settings.pytest_args),
        seconds=seconds,
        returncode=completed.returncode,
    )


def load_json(path: Path) -> dict[str, Any]:
    """The plugin's JSON document."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise UserError(f"{path} is not a fixture memory JSON document")
    return data


def check_pytest(completed: subprocess.CompletedProcess[str], json_path: Path) -> None:
    """A UserError when pytest did not run the suite (test failures are fine: they are reported)."""
    if completed.returncode == 5:
        raise UserError(
            "pytest collected no tests with these arguments; nothing to profile"
        )
    problem = PYTEST_USAGE_ERRORS.get(completed.returncode)
    if problem is None and json_path.is_file():
        return
    output = (completed.stderr.strip() or completed.stdout.strip()).splitlines()
    detail = next((line for line in reversed(output) if line.strip()), "no output")
    raise UserError(
        f"pytest {problem or 'wrote no measurements'} (exit {completed.returncode}): {detail}"
    )


def read_layout(rootdir: Path, conftest: str) -> Layout:
    """The conftest modules beside the root conftest, read from disk."""
    directory = (rootdir / conftest).parent
    sources = {
        path.relative_to(rootdir).as_posix(): path.read_text(
            encoding="utf-8", errors="replace"
        )
        for path in sorted(directory.glob("conftest*.py"))
    }
    return make_layout(conftest, sources)


def measure_legacy(
    rootdir: Path, conftest: str, manifest: Manifest, settings: ProfileSettings
) -> TreeProfile:
    """Profile the tree as it was before the migration, in a temporary copy."""
    with tempfile.TemporaryDirectory(prefix="splitter-legacy-") as scratch:
        copy = Path(scratch) / rootdir.name
        shutil.copytree(
            rootdir,
            copy,
            ignore=shutil.ignore_patterns(*SKIPPED_IN_COPY),
            symlinks=True,
        )
        put_back_legacy(copy / conftest, manifest)
        profile = measure_tree(
            copy, conftest, "before the split (legacy conftest)", settings
        )
    return profile


def put_back_legacy(conftest: Path, manifest: Manifest) -> None:
    """Undo a migration in a copy: the backups back in place, the created files gone."""
    directory = conftest.parent
    backup = directory / manifest.backup
    if not backup.is_file():
        raise UserError(
            f"the migration backup {manifest.backup} is missing; cannot profile the legacy conftest"
        )
    shutil.copyfile(backup, conftest)
    for entry in manifest.files:
        target = directory / entry.path
        if entry.action is FileAction.CREATED:
            target.unlink(missing_ok=True)
        elif (
            entry.backup is not None
            and (directory / entry.backup).is_file()
            and target != conftest
        ):
            shutil.copyfile(directory / entry.backup, target)
