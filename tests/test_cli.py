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
