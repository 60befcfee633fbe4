"""A toy project to break, the real CLI to run on it, and the state of a tree to compare."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from splitter.migrate.migration import MigrateSettings, prepare_migration, run_migration

TOY_CONFTEST = '''"""Toy fixtures for the reliability tests."""
import os
from unittest import mock

import pytest

GREETING = "hello"


def shout(text):
    return text.upper()


@pytest.fixture
def greeting():
    return GREETING


@pytest.fixture(params=[1, 2], ids=["one", "two"])
def loud(request, greeting):
    return shout(greeting) * request.param


@pytest.fixture
def fake_mailer():
    mailer = mock.MagicMock()
    mailer.send.return_value = True
    return mailer


def pytest_configure(config):
    os.environ.setdefault("TOY_CONFIGURED", "1")
'''

TOY_TESTS = '''import os


def test_loud(loud):
    assert loud.isupper() and len(loud) in (5, 10)


def test_mailer(fake_mailer):
    assert fake_mailer.send("hi")


def test_configured():
    assert os.environ["TOY_CONFIGURED"] == "1"
'''

SKIPPED = {"__pycache__", ".pytest_cache"}
# Plugins of this environment the projects under test do not use (hypothesis's alone costs ~1 s a
# pytest run); verification runs pytest 2–4 times per migrate, so this keeps the suite fast.
QUIET_PLUGINS = ("hypothesispytest", "splitter_memory", "xdist", "cacheprovider", "asyncio", "anyio")
QUIET_PYTEST = tuple(arg for plugin in QUIET_PLUGINS for arg in ("-p", f"no:{plugin}"))
QUIET_ENV = {"NO_COLOR": "1", "COLUMNS": "200", "PYTEST_ADDOPTS": " ".join(QUIET_PYTEST)}
DROP_PRIVILEGES = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")


def tree_state(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (caches aside): files by SHA-256 and mode, links by target, folders.

    Comparing two states proves a tree byte-identical, ``.splitter/`` included,
    with no leftover file, folder or link.
    """
    state: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if SKIPPED & set(relative.parts):
            continue
        if path.is_symlink():
            state[relative.as_posix()] = f"link -> {os.readlink(path)}"
        elif path.is_dir():
            state[relative.as_posix()] = "folder"
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[relative.as_posix()] = f"{digest} {stat.S_IMODE(path.stat().st_mode):o}"
    return state


@dataclass(frozen=True)
class Toy:
    """A small pytest project: ``pytest.ini``, ``tests/`` with a conftest and a test file."""

    root: Path

    @property
    def tests(self) -> Path:
        return self.root / "tests"

    @property
    def conftest(self) -> Path:
        return self.tests / "conftest.py"

    @property
    def backup(self) -> Path:
        return self.tests / ".splitter"

    def migrate(self, verify: bool = False, backup_dir: Path | None = None) -> None:
        """Migrate in-process (fast), as ``splitter migrate --yes --no-measure`` would."""
        settings = MigrateSettings(self.conftest, verify=verify, measure=False, backup_dir=backup_dir)
        migration = prepare_migration(settings)
        assert migration is not None
        run_migration(settings, migration)

    def state(self) -> dict[str, str]:
        return tree_state(self.root)


def make_toy(root: Path, conftest: bytes | str = TOY_CONFTEST, tests: str = TOY_TESTS, ini: bool = True) -> Toy:
    """Write the toy project under ``root``."""
    (root / "tests").mkdir(parents=True)
    if ini:
        (root / "pytest.ini").write_text("[pytest]\n")
        (root / "tests" / "__init__.py").write_text("")
    data = conftest.encode("utf-8") if isinstance(conftest, str) else conftest
    (root / "tests" / "conftest.py").write_bytes(data)
    (root / "tests" / "test_toy.py").write_text(tests)
    return Toy(root)


@pytest.fixture
def toy(tmp_path: Path) -> Iterator[Toy]:
    """The toy project in ``tmp_path/project`` (``tmp_path`` itself is the world outside it)."""
    project = make_toy(tmp_path / "project")
    yield project
    make_writable(tmp_path)


def make_writable(root: Path) -> None:
    """Undo the chmods of read-only cases so the temporary folder can be removed."""
    for path in (root, *root.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR)


def run_splitter(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """``python -m splitter ARGS`` exactly as a user runs it (no terminal), captured."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "splitter", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **QUIET_ENV, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def unprivileged() -> tuple[str, ...]:
    """A command prefix under which file permissions apply (root bypasses them); skips if impossible."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return DROP_PRIVILEGES
