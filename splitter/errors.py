"""Exit codes and the one exception type that means "the user can fix this".

Every stage reports problems the user can act on as a :class:`UserError` with a
single sentence; the CLI prints it on one line and exits with
:attr:`ExitCode.BAD_INPUT`. Anything else escaping the pipeline is a bug and is
reported as "internal error — please report".
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The process exit codes of every ``splitter`` command (DESIGN.md, CLI)."""

    OK = 0
    FAILED = 1  # verification failed, or --check found changes
    BAD_INPUT = 2  # bad input or usage


class UserError(Exception):
    """A problem with the user's input, described in one actionable sentence."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
