"""The generated lazy loader on every pytest we support and in every import mode.

A corpus is migrated with this interpreter, then its suite runs under each
interpreter in ``SPLITTER_COMPAT_PYTHONS`` (space-separated paths; CI sets up
pytest 7.4 and 8.4 environments that need nothing but pytest and pytest-asyncio)
and under this one, in the corpus's own import mode and in importlib mode.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPORA = (
    "shared_state",
    "no_init",
    "importlib_mode",
    "name_aliases",
    "yield_finalizers",
    "getfixturevalue",
    "params_ids",
    "callable_scope",
    "autouse_scopes",
    "async_fixtures",
)
PYTHONS = tuple(os.environ.get("SPLITTER_COMPAT_PYTHONS", "").split()) + (sys.executable,)
MODES = ("default", "importlib")


def pytest_version(python: str) -> str:
    command = [python, "-c", "import pytest; print(pytest.__version__)"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def run_suite(python: str, root: Path, mode: str) -> subprocess.CompletedProcess[str]:
    args = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if mode == "importlib":
        args.append("--import-mode=importlib")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(args, cwd=root, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("python", PYTHONS, ids=lambda p: f"pytest-{pytest_version(p)}")
@pytest.mark.parametrize("name", CORPORA)
def test_migrated_suite_passes(name, python, mode, corpus_copy, cli):
    conftest = corpus_copy(name)
    root = conftest.parent.parent
    if name == "importlib_mode" and mode == "default":
        mode = "importlib"  # its same-named test files only import in importlib mode
    original = run_suite(python, root, mode)
    if original.returncode != 0:
        pytest.skip(f"{name} does not pass under this pytest even unmigrated (exit {original.returncode}): nothing to compare")
    migrated = cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure")
    assert migrated.returncode == 0, migrated.stderr
    result = run_suite(python, root, mode)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert result.stdout.splitlines()[-1].split(" in ")[0] == original.stdout.splitlines()[-1].split(" in ")[0]


ASYNC_PROJECT = {
    "pyproject.toml": """
[tool.pytest.ini_options]
asyncio_mode = "strict"

[tool.splitter.pin]
engine = "services"
connection = "services"
""",
    "tests/__init__.py": "",
    "tests/conftest.py": '''
import pytest
import pytest_asyncio

CLOSED = []


@pytest_asyncio.fixture
async def engine():
    """An async fixture, loaded lazily."""
    return {"ready": True}


@pytest_asyncio.fixture
async def connection(engine):
    """An async generator fixture whose teardown must still run."""
    yield {"engine": engine, "open": True}
    CLOSED.append(True)
''',
    "tests/test_async.py": '''
import sys

import pytest


@pytest.mark.asyncio
async def test_connection(connection):
    assert connection["engine"]["ready"] and connection["open"]


def test_teardown_ran_and_lazy_module_loaded():
    services = sys.modules["tests.conftest_services"]
    assert services.CLOSED == [True]
''',
}


@pytest.mark.parametrize("python", PYTHONS, ids=lambda p: f"pytest-{pytest_version(p)}")
def test_async_stubs_on_every_pytest(python, tmp_path, cli):
    """Async and async-generator stubs delegate (teardown included) on every pytest."""
    for name, text in ASYNC_PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.lstrip())
    migrated = cli("migrate", str(tmp_path / "tests" / "conftest.py"), "--yes", "--no-verify", "--no-measure")
    assert migrated.returncode == 0, migrated.stderr
    assert "_implementation(\"connection\")" in (tmp_path / "tests" / "conftest.py").read_text()
    result = run_suite(python, tmp_path, "default")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout
