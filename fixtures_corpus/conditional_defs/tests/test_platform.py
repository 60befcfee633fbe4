"""Platform-dependent fixtures (the corpus is exercised on Linux)."""

import os
import sys

import pytest

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


def test_platform_tool(platform_tool):
    assert platform_tool["name"] in {"sh", "cmd"}
    if sys.platform.startswith("linux"):
        assert platform_tool["family"] == "posix"
        assert platform_tool["path"] and os.path.exists(platform_tool["path"])


@linux_only
def test_proc_self_status(proc_self_status):
    assert int(proc_self_status["Pid"].strip()) == os.getpid()
