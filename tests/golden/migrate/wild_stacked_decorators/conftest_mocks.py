"""Mock-based fixtures: fake clients and managers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import os
from unittest import mock

import pytest

from .conftest_base import Settings


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
