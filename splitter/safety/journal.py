"""The write-ahead journal: what a migrate or restore is doing, so any interruption can be undone.

``.splitter/journal.json`` lists the steps of the operation under way and which
one is next. It is written atomically *before* each step, so after a crash (a
kill, a power cut, a full disk) it says which files may have been touched and
what they should contain. Recovery never needs to guess:

- an interrupted **migrate** is rolled back (the legacy conftest is still in
  place until its last step, and its byte-for-byte copy is written first);
- an interrupted **restore** is finished (it only ever moves towards the legacy
  tree, and the journal keeps what it needs until the very end).

Both come down to one idempotent procedure, :func:`splitter.safety.restore.restore_migration`.
While ``splitter migrate`` verifies, the journal stays (next step ``verify``), so a
migration killed during verification is rolled back too, never left unverified.

Test hook: ``SPLITTER_PAUSE_AT_STEP=N`` (or ``migrate:N`` / ``restore:N``) makes the
writer print ``paused at step N: <description>`` to stderr and sleep just before
step N, after the journal records it; the crash-safety tests SIGKILL it there.
"""

from __future__ import annotations

import enum
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from splitter.safety.disk import atomic_write
from splitter.errors import UserError

SCHEMA_VERSION = 1
FILENAME = "journal.json"
PAUSE_ENV = "SPLITTER_PAUSE_AT_STEP"


class Operation(str, enum.Enum):
    """The operation a journal belongs to."""

    MIGRATE = "migrate"
    RESTORE = "restore"


class StepKind(str, enum.Enum):
    """One step of an operation; all but VERIFY change a file."""

    BACKUP = "backup"  # copy the legacy conftest into the backup directory
    MANIFEST = "manifest"  # write manifest.json
    WRITE = "write"  # write a new module
    REPLACE = "replace"  # write the new root conftest
    VERIFY = "verify"  # run pytest on the migrated tree (nothing written)
    RESTORE = "restore"  # put the legacy conftest back
    REMOVE = "remove"  # remove a module the migration created
    CLEAN = "clean"  # remove the backup directory


@dataclass(frozen=True)
class Step:
    """A step and the file it touches (relative to the conftest's directory)."""

    kind: StepKind
    path: str

    def describe(self) -> str:
        """What the step does, for the pause line and error messages."""
        return {
            StepKind.BACKUP: f"copy the legacy conftest to {self.path}",
            StepKind.MANIFEST: f"write the manifest {self.path}",
            StepKind.WRITE: f"write {self.path}",
            StepKind.REPLACE: f"write the new {self.path}",
            StepKind.VERIFY: "verify the migrated tree with pytest",
            StepKind.RESTORE: f"put the legacy {self.path} back",
            StepKind.REMOVE: f"remove {self.path}",
            StepKind.CLEAN: f"remove the backup directory {self.path}",
        }[self.kind]


@dataclass(frozen=True)
class Journal:
    """Everything recovery needs, whatever step was interrupted.

    Paths are POSIX and relative to the conftest's directory; ``created`` maps
    each module the migration creates to the SHA-256 of its content.
    """

    operation: Operation
    tool_version: str
    conftest: str
    legacy_sha256: str
    conftest_sha256: str  # the new root conftest
    backup: str  # the legacy copy
    created: tuple[tuple[str, str], ...]
    steps: tuple[Step, ...]
    next_step: int = 0  # index into steps; len(steps) when all are done

    @property
    def current(self) -> Step | None:
        """The step that was about to run (None when all are done)."""
        return self.steps[self.next_step] if self.next_step < len(self.steps) else None

    def at(self, index: int) -> Journal:
        """The journal as written just before step ``index``."""
        return replace(self, next_step=index)

    def to_json(self) -> str:
        """The text of ``journal.json``."""
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "operation": self.operation.value,
            "tool_version": self.tool_version,
            "conftest": self.conftest,
            "legacy_sha256": self.legacy_sha256,
            "conftest_sha256": self.conftest_sha256,
            "backup": self.backup,
            "created": [{"path": p, "sha256": h} for p, h in self.created],
            "steps": [{"kind": s.kind.value, "path": s.path} for s in self.steps],
            "next_step": self.next_step,
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = FILENAME) -> Journal:
        """Parse ``journal.json``; a UserError when it is not a journal we can act on."""
        try:
            data = json.loads(text)
            if data["schema_version"] != SCHEMA_VERSION:
                raise ValueError(f"unsupported schema_version {data['schema_version']!r}")
            return cls(
                operation=Operation(data["operation"]),
                tool_version=str(data["tool_version"]),
                conftest=str(data["conftest"]),
                legacy_sha256=str(data["legacy_sha256"]),
                conftest_sha256=str(data["conftest_sha256"]),
                backup=str(data["backup"]),
                created=tuple((str(c["path"]), str(c["sha256"])) for c in data["created"]),
                steps=tuple(Step(StepKind(s["kind"]), str(s["path"])) for s in data["steps"]),
                next_step=int(data["next_step"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise UserError(
                f"{source} is not a readable splitter journal ({exc}); if no splitter is running, "
                "compare the tree with the backup beside it by hand, then delete the journal"
            ) from None


def read_journal(directory: Path) -> Journal | None:
    """The journal in the backup directory, or None when no operation was interrupted."""
    path = directory / FILENAME
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path} ({exc}); delete it if no splitter is running") from None
    return Journal.from_json(text, str(path))


def pause_if_asked(operation: Operation, number: int, step: Step) -> None:
    """The crash-test hook: stop before step ``number`` (1-based) when SPLITTER_PAUSE_AT_STEP says so."""
    wanted = os.environ.get(PAUSE_ENV, "").strip()
    if not wanted:
        return
    where, _, index = wanted.rpartition(":")
    if where not in ("", operation.value) or index != str(number):
        return
    sys.stderr.write(f"paused at step {number}: {step.describe()}\n")
    sys.stderr.flush()
    while True:  # until killed
        time.sleep(60)


class StepFailed(Exception):
    """A step could not be done (an OSError while writing the journal or doing the step)."""

    def __init__(self, step: Step, error: OSError) -> None:
        super().__init__(step.describe())
        self.step = step
        self.reason = error.strerror or str(error)


Action = Callable[[Step], None]


def run_steps(journal: Journal, directory: Path, actions: Mapping[StepKind, Action]) -> None:
    """For every step in order: record it in the journal, honour the pause hook, do it."""
    for index, step in enumerate(journal.steps):
        try:
            atomic_write(directory / FILENAME, journal.at(index).to_json().encode("utf-8"))
            pause_if_asked(journal.operation, index + 1, step)
            actions[step.kind](step)
        except OSError as exc:
            raise StepFailed(step, exc) from exc
