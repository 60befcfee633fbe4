"""Exit codes and the one exception type that means "the user can fix this".

Every stage reports problems the user can act on as a :class:`UserError` with a
single sentence; the CLI prints it on one line and exits with
:attr:`ExitCode.BAD_INPUT`. Anything else escaping the pipeline is a bug and is
reported as "internal error — please report", with where to report it, and
exits with :attr:`ExitCode.INTERNAL_ERROR`.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The process exit codes of every ``splitter`` command (DESIGN.md, CLI)."""

    OK = 0
    FAILED = 1  # verification failed, or --check found changes
    BAD_INPUT = 2  # bad input or usage
    # A bug of splitter's, never "verification failed": CI must not read a crash as a
    # changed fixture API, nor a changed API as a crash. 3 is what pytest itself exits
    # with on an internal error (pytest.ExitCode.INTERNAL_ERROR), which splitter's users
    # already know; it collides with no other code splitter, click or typer uses.
    INTERNAL_ERROR = 3


REPORT_URL = "https://github.com/<org>/splitter/issues"  # where "internal error — please report" sends users


class UserError(Exception):
    """A problem with the user's input, described in one actionable sentence."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
