"""What a migration is asked, what it prepares and how it ends: the data ``migrate``'s
orchestration (:mod:`splitter.migrate.migration`) and the incremental migrate into an existing
split (:mod:`splitter.migrate.incremental`) share, kept apart so neither imports the other's
caller."""

from __future__ import annotations

import difflib
import enum
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from splitter.files import display_path, pytest_args_from_rootdir, read_source
from splitter.model import Analysis
from splitter.plan.assign import SplitPlan
from splitter.safety.write import NewFile
from splitter.verify.compare import Difference
from splitter.verify.snapshot import Recording
from splitter.verify.verifier import PytestFailure, VerifySettings

Progress = Callable[[str], None]


class Outcome(str, enum.Enum):
    """How a migration ended (a closed set: the CLI maps each to an exit code)."""

    NOTHING_TO_DO = "nothing_to_do"
    DRY_RUN = "dry_run"
    MIGRATED = "migrated"
    UNVERIFIED = "migrated_unverified"
    ROLLED_BACK = "rolled_back"


@dataclass(frozen=True)
class MigrateSettings:
    """What ``splitter migrate`` was asked to do."""

    path: Path
    verify: bool = True
    outcomes: bool = True  # run the tests before and after and compare each outcome
    pytest_args: tuple[str, ...] = ()
    backup_dir: Path | None = None
    measure: bool = True
    # paths (from the rootdir) whose collection is measured on its own too, before and after;
    # none by default: the two verification runs measure their own collection and run
    subsets: tuple[str, ...] = ()
    python: str = sys.executable  # runs pytest (verify) and the import measurements
    keep: tuple[str, ...] = ()  # names that stay in the root conftest (``--keep``)


@dataclass(frozen=True)
class Migration:
    """A prepared migration: the plan and the formatted files, nothing written yet."""

    conftest: Path
    analysis: Analysis
    plan: SplitPlan
    files: tuple[NewFile, ...]
    incremental: bool = False  # into an existing split (splitter.migrate.incremental)

    def diff(self) -> str:
        """A unified diff of every file the migration creates or changes."""
        chunks: list[str] = []
        for new in self.files:
            target = self.conftest.parent / new.name
            old = read_source(target).text if target.exists() else ""
            label = display_path(target)
            chunks += difflib.unified_diff(
                old.splitlines(keepends=True),
                new.text.splitlines(keepends=True),
                fromfile=label if old else "/dev/null",
                tofile=label,
            )
        return "".join(chunks)


@dataclass(frozen=True)
class MigrateResult:
    """The end of a migration, for the report."""

    outcome: Outcome
    migration: Migration | None
    before: Recording | None = None
    after: Recording | None = None
    differences: tuple[Difference, ...] = ()
    failures: tuple[PytestFailure, ...] = ()
    reason: str = ""
    warnings: tuple[str, ...] = ()  # from verifying: what pytest registers that analyze did not see
    kept: tuple[tuple[str, str], ...] = ()  # kept in the root after a first check: (name, the difference that led there)


def verify_settings(settings: MigrateSettings, rootdir: Path) -> VerifySettings:
    """What the verification of a migration runs: one pytest run per tree with the user's arguments.

    No subset is collected on its own unless asked for: that was two more pytest
    runs (a third of a plain run's cost on the monolith), and the verification runs
    measure their own collection and run already.
    """
    args = pytest_args_from_rootdir(settings.pytest_args, rootdir, Path.cwd())
    return VerifySettings(
        path=settings.path, outcomes=settings.outcomes, pytest_args=args, python=settings.python, subsets=settings.subsets
    )
