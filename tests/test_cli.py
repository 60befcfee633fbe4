"""The CLI surface: commands listed, version, and the one-line error contract."""

from __future__ import annotations

import pytest

from splitter import __version__

COMMANDS = ("analyze", "graph", "migrate", "sync", "join", "restore", "verify", "profile")


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.returncode == 0
    assert all(command in result.stdout for command in COMMANDS)


def test_version(cli):
    assert cli("--version").stdout.strip() == f"splitter {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.returncode == 0 and "Usage" in result.stdout


def test_no_arguments_shows_usage_and_fails(cli):
    assert cli().returncode == 2


def test_an_internal_error_has_its_own_exit_code_and_says_where_to_report(cli, tmp_path):
    """A genuine crash, from real input: a conftest whose one expression nests deeper than
    libcst's recursive visitors reach (a 700-term sum; Python's own parser takes it, and
    pytest runs it on 3.11). Not "verification failed" (1), not bad input (2): exit 3,
    one line, no traceback. Should splitter learn to read such a file, this test needs
    another real crash, not a hook that fakes one."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "tests").mkdir()
    total = " + ".join(["1"] * 700)
    conftest = tmp_path / "tests" / "conftest.py"
    conftest.write_text(f"import pytest\n\nTOTAL = {total}\n\n\n@pytest.fixture\ndef total():\n    return TOTAL\n")
    compile(conftest.read_text(), str(conftest), "exec")  # valid Python

    result = cli("analyze", str(conftest), "--no-measure")

    assert result.returncode == 3, result.stdout + result.stderr
    assert "internal error — please report: RecursionError" in result.stderr
    assert f"splitter {__version__}" in result.stderr and "/issues" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
