"""Fixtures and constants defined under top-level ``if`` statements."""

import os
import shutil
import sys

import pytest

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


# -- splitter: generated, maintained by `splitter sync`. Runs conftest_loader.py,
# which loads the split modules, and binds their fixtures here (visibility kept).
def _load_split():
    import importlib.util
    import os
    import sys

    name = f"{__package__}.conftest_loader" if __package__ else "conftest_loader"
    path = os.path.join(os.path.dirname(__file__), "conftest_loader.py")
    spec = importlib.util.spec_from_file_location(name, path)
    sys.modules[name] = loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    return loader.CONFTEST_NAMES


globals().update(_load_split())
