"""``splitter join``: merge the split modules back into one conftest, verified, undoable.

:func:`prepare_join` renders the joined conftest and writes nothing.
:func:`run_join` copies the split (root and modules) into ``.splitter/joined/``
first, then writes the joined conftest and removes the modules, and verifies
with pytest that every test sees the same fixture API; a difference puts the
split back. :func:`undo_join` puts it back on request. The migration's own
backup stays untouched, so ``splitter restore`` still means "the legacy file".
"""

from __future__ import annotations

import difflib
import os
import enum
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from splitter.analyze.parse import parse_conftest
from splitter.analyze.split import LOADER_STEM, is_split
from splitter.errors import UserError
from splitter.files import find_rootdir, pytest_args_from_rootdir, read_source
from splitter.migrate.sync import read_modules, read_split
from splitter.render.format import format_source, load_black_mode
from splitter.render.join import render_joined
from splitter.safety.disk import atomic_write, remove
from splitter.safety.guards import BACKUP_FOLDER, JOINED_FOLDER, backup_directory, check_not_linked
from splitter.safety.manifest import FILENAME
from splitter.safety.preflight import check_input_path, check_not_interrupted, newline_of, with_newline
from splitter.safety.write import NewFile
from splitter.verify.compare import Difference
from splitter.verify.snapshot import without_names
from splitter.verify.verifier import PytestFailure, VerifySettings, confirm_outcomes, record_tree

Progress = Callable[[str], None]


class JoinOutcome(str, enum.Enum):
    """How a join ended."""

    JOINED = "joined"
    UNVERIFIED = "joined_unverified"
    ROLLED_BACK = "rolled_back"


@dataclass(frozen=True)
class JoinSettings:
    """What ``splitter join`` was asked to do."""

    path: Path
    verify: bool = True
    outcomes: bool = True
    pytest_args: tuple[str, ...] = ()
    backup_dir: Path | None = None
    python: str = sys.executable


@dataclass(frozen=True)
class Join:
    """A prepared join: the split files as they are, and the one conftest replacing them."""

    conftest: Path
    split: tuple[NewFile, ...]  # the root first, then the loader module (none in a 0.1.0 split) and each split module
    joined: str
    loader_names: frozenset[str] = frozenset()  # what the generated loader binds (the join drops it)

    def diff(self) -> str:
        """A unified diff: the root changes, the modules go."""
        root = self.split[0]
        chunks = list(_diff(self.conftest.parent / root.name, root.text, self.joined))
        for module in self.split[1:]:
            chunks += _diff(self.conftest.parent / module.name, module.text, "")
        return "".join(chunks)


@dataclass(frozen=True)
class JoinResult:
    """The end of a join, for the report."""

    outcome: JoinOutcome
    join: Join
    tests: int = 0
    differences: tuple[Difference, ...] = ()
    failures: tuple[PytestFailure, ...] = ()


def joined_directory(conftest: Path, backup_dir: Path | None = None) -> Path:
    """Where a join keeps the split it replaced."""
    return backup_directory(conftest, backup_dir) / JOINED_FOLDER


def prepare_join(settings: JoinSettings) -> Join:
    """Read the split and render the joined conftest (formatted); writes nothing."""
    conftest = settings.path
    check_input_path(conftest)
    check_not_interrupted(conftest, settings.backup_dir)
    source = read_source(conftest).text
    if not is_split(source):
        raise UserError(f"{conftest} is not split (no splitter loader in it); there is nothing to join")
    root = read_split(conftest)
    modules = read_modules(conftest, root)
    joined = format_source(render_joined(root, modules), load_black_mode(conftest.parent))
    parse_conftest(joined, str(conftest))  # the joined file must parse: a failure here is a bug
    loader = () if root.module is None else (NewFile(f"{LOADER_STEM}.py", root.module.source),)
    split = (NewFile(conftest.name, source), *loader, *(NewFile(f"{m.stem}.py", m.model.source) for m in modules))
    generated = frozenset(n for d in root.model.definitions if d.index in root.generated for n in d.names)
    stubs = frozenset(s.function_name for s in root.stubs)
    return Join(conftest, split, with_newline(joined, newline_of(source)), generated - stubs)


def run_join(settings: JoinSettings, join: Join, progress: Progress = lambda _: None) -> JoinResult:
    """Back up the split, write the joined conftest, verify; put the split back on a difference."""
    here = join.conftest.parent
    for new in join.split:
        check_not_linked(here / new.name)
    if not settings.verify:
        _write(settings, join)
        return JoinResult(JoinOutcome.UNVERIFIED, join)
    rootdir = find_rootdir(join.conftest)
    args = pytest_args_from_rootdir(settings.pytest_args, rootdir, Path.cwd())
    verify = VerifySettings(path=join.conftest, outcomes=settings.outcomes, pytest_args=args, python=settings.python)
    progress("recording the fixture API of the split")
    before, failures = record_tree(rootdir, verify, (), lambda step: progress(f"{step} (before)"))
    if failures:
        raise UserError(
            f"pytest does not complete on the split tree ({failures[0].label}, exit code {failures[0].exit_code}); "
            f"fix that first or use --no-verify. Its output ends with:\n{failures[0].tail}"
        )
    _write(settings, join)
    try:
        progress("recording the fixture API of the joined conftest")
        after, failures = record_tree(
            rootdir, verify, before.api.imports, lambda step: progress(f"{step} (after)"), before.api
        )
        # The loader's own names (the finder, the tables, the guard) go with it; every other
        # name of the split root must still be there, and the stubs' fixtures with their kind.
        baseline = without_names(before.api, join.conftest.resolve().relative_to(rootdir.resolve()).as_posix(), join.loader_names)
        after, differences = confirm_outcomes(rootdir, verify, baseline, after, progress)
    except BaseException:
        undo_join(join.conftest, settings.backup_dir)
        raise
    if differences or failures:
        undo_join(join.conftest, settings.backup_dir)
        return JoinResult(JoinOutcome.ROLLED_BACK, join, 0, differences, failures)
    return JoinResult(JoinOutcome.JOINED, join, len(after.api.items))


def undo_join(conftest: Path, backup_dir: Path | None = None) -> tuple[str, ...]:
    """Put back the split a join replaced (root and modules, byte for byte) and drop its backup."""
    saved = joined_directory(conftest, backup_dir)
    if not saved.is_dir():
        raise UserError(f"{conftest} has no join to undo ({saved} not found)")
    if is_split(read_source(conftest).text):
        raise UserError(f"{conftest} is split again since the join; remove {saved} if you no longer need it")
    names = sorted(p.name for p in saved.iterdir() if p.suffix == ".py")
    modules = [n for n in names if n != conftest.name]
    for name in [*modules, conftest.name]:  # the root last: until then it is the joined conftest
        atomic_write(conftest.parent / name, (saved / name).read_bytes())
    for name in names:
        remove(saved / name)
    saved.rmdir()
    return tuple(names)


def retire_joined_migration(conftest: Path, backup_dir: Path | None = None) -> None:
    """Before a joined conftest is migrated again: the earlier migration's backup moves into ``joined/``.

    The new migration then has its own backup, and ``restore`` undoes it (giving the joined conftest back).
    """
    directory = backup_directory(conftest, backup_dir)
    archive = directory / JOINED_FOLDER / "migration"
    if not (directory / JOINED_FOLDER).is_dir() or not (directory / FILENAME).is_file():
        return
    archive.mkdir(exist_ok=True)
    for name in (FILENAME, BACKUP_FOLDER):
        if (directory / name).exists():
            os.replace(directory / name, archive / name)


def _write(settings: JoinSettings, join: Join) -> None:
    """The split into the backup first, then the joined root, then the modules removed."""
    saved = joined_directory(join.conftest, settings.backup_dir)
    if saved.exists():
        raise UserError(f"{saved} holds the split of an earlier join; run `splitter join --undo` or remove it first")
    try:
        saved.mkdir(parents=True)
        for new in join.split:
            atomic_write(saved / new.name, (join.conftest.parent / new.name).read_bytes())
        atomic_write(join.conftest, NewFile(join.conftest.name, join.joined).data)
        for new in join.split[1:]:
            remove(join.conftest.parent / new.name)
    except OSError as exc:
        raise UserError(f"cannot write the join ({exc}); run `splitter join --undo {join.conftest}`") from None


def _diff(path: Path, old: str, new: str) -> list[str]:
    label = path.as_posix()
    return list(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=label, tofile=label if new else "/dev/null"
        )
    )
