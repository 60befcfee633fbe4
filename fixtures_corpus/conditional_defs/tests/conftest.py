"""Fixtures and constants defined under top-level ``if`` statements."""

import os
import shutil
import sys

import pytest

# --- environment-dependent constant ---------------------------------------
if os.environ.get("CORPUS_FAST_MODE"):
    # CI "fast lane": fewer retries, shorter timeouts.
    RETRY_LIMIT = 1
    TIMEOUT_SECONDS = 0.5
else:
    RETRY_LIMIT = 3
    TIMEOUT_SECONDS = 5.0

# --- version-gated import ----------------------------------------------------
if sys.version_info >= (3, 11):
    import tomllib as toml_reader
else:  # pragma: no cover - the corpus runs on 3.11+
    toml_reader = None

# --- one fixture name, three platform-specific definitions ------------------
if sys.platform.startswith("linux"):
    SHELL_NAME = "sh"

    @pytest.fixture
    def platform_tool():
        """Linux: a POSIX shell found on PATH."""
        return {"family": "posix", "name": SHELL_NAME, "path": shutil.which(SHELL_NAME)}

    @pytest.fixture
    def proc_self_status():
        """Linux only: procfs status lines of the current process."""
        with open("/proc/self/status", encoding="utf-8") as handle:
            return dict(line.split(":", 1) for line in handle if ":" in line)

elif sys.platform == "win32":  # pragma: no cover
    SHELL_NAME = "cmd"

    @pytest.fixture
    def platform_tool():
        """Windows: cmd.exe via COMSPEC."""
        return {"family": "windows", "name": SHELL_NAME, "path": os.environ.get("COMSPEC")}

else:  # pragma: no cover - macOS and other Unixes
    SHELL_NAME = "sh"

    @pytest.fixture
    def platform_tool():
        """Other POSIX systems."""
        return {"family": "posix", "name": SHELL_NAME, "path": shutil.which(SHELL_NAME)}


@pytest.fixture
def retry_limit():
    """Value chosen by the environment-dependent ``if`` block."""
    return RETRY_LIMIT


@pytest.fixture
def timeouts(retry_limit):
    """Combines both constants of the ``if`` block."""
    return {"per_try": TIMEOUT_SECONDS, "total": TIMEOUT_SECONDS * retry_limit}


@pytest.fixture
def parse_toml():
    """Parser from the version-gated import."""
    if toml_reader is None:  # pragma: no cover
        pytest.skip("tomllib requires Python 3.11")
    return toml_reader.loads
