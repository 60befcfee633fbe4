"""Fixtures with decorators between @pytest.fixture and the function."""

import functools
import os
from unittest import mock

import pytest


class Settings:
    mode = "production"


@pytest.fixture
@mock.patch("os.getcwd", return_value="/patched")
def cwd(mock_getcwd):
    return os.getcwd(), mock_getcwd.call_count


@pytest.fixture
@mock.patch.object(Settings, "mode", "testing")
@mock.patch("os.getpid", return_value=4242)
def settings_snapshot(mock_getpid, tmp_path):
    return Settings.mode, os.getpid(), tmp_path.is_dir()


@pytest.fixture
@mock.patch("os.sep", new="|")
def separator():
    return os.sep


def with_answer(function):
    """Call ``function`` with arguments pytest never sees: it requests ``request`` only."""

    def wrapper(request):
        return function(answer=42, node=request.node.name)

    return wrapper


@pytest.fixture
@with_answer
def answer(answer, node):
    return answer, node


@pytest.fixture
def uses_all(cwd, settings_snapshot, separator):
    return cwd[0], settings_snapshot[0], separator
