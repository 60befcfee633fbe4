"""The generated lazy loader on every pytest we support and in every import mode.

A corpus is migrated with this interpreter, then its suite runs under each
interpreter in ``SPLITTER_COMPAT_PYTHONS`` (space-separated paths; CI sets up
pytest 7.4 and 8.4 environments that need nothing but pytest and pytest-asyncio)
and under this one, in the corpus's own import mode and in importlib mode.

Visibility: in every invocation DESIGN.md's loader table lists (pytest 7.4, 8.4,
9.2; prepend and importlib import modes; ``tests/`` a package or not; pytest run
from the rootdir, from ``tests/`` and from the parent directory) pytest registers
every fixture of the split — each stub and each eagerly imported fixture — under
the root conftest's directory, exactly as it registered the monolith's.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

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
    assert "_implementation(\"connection\")" in (tmp_path / "tests" / "conftest_loader.py").read_text()
    result = run_suite(python, tmp_path, "default")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout


VISIBILITY_PROJECT = {
    "pytest.ini": "[pytest]\n",
    "pyproject.toml": """
[tool.splitter.pin]
heavy = "services"
overridden = "services"
""",
    "tests/conftest.py": '''
import pytest


@pytest.fixture
def light():
    return "light"


@pytest.fixture(autouse=True)
def _autouse_marker():
    return "autouse"


@pytest.fixture(scope="session")
def heavy():
    """Loaded lazily (pinned to the services tier)."""
    return "heavy"


@pytest.fixture
def overridden():
    """Loaded lazily, overridden in tests/unit/conftest.py."""
    return "root"


@pytest.fixture
def doctest_namespace():
    """Overrides the doctest plugin's fixture, for the tests under tests/ only."""
    return {"overridden": True}
''',
    "tests/unit/conftest.py": '''
import pytest


@pytest.fixture
def overridden(overridden):
    return overridden + "+unit"
''',
    "tests/test_top.py": '''
def test_top(light, heavy, overridden, doctest_namespace, request):
    assert (light, heavy, overridden) == ("light", "heavy", "root")
    assert doctest_namespace == {"overridden": True} and "_autouse_marker" in request.fixturenames
''',
    "tests/unit/test_unit.py": '''
def test_unit(light, heavy, overridden, request):
    assert (light, heavy, overridden) == ("light", "heavy", "root+unit")
    assert "_autouse_marker" in request.fixturenames
''',
    "other/test_other.py": '''
import pytest


def test_conftest_fixtures_stay_invisible_here(request):
    assert "_autouse_marker" not in request.fixturenames
    for name in ("light", "heavy", "overridden"):
        with pytest.raises(pytest.FixtureLookupError):
            request.getfixturevalue(name)
    assert request.getfixturevalue("doctest_namespace") == {}
''',
}
PROBE = '''
import json
import os


def _baseid(fixturedef):
    baseid = getattr(fixturedef, "baseid", None)  # pytest 9.1 keeps the node instead
    return baseid if baseid is not None else getattr(getattr(fixturedef, "node", None), "nodeid", "")


def pytest_collection_finish(session):
    """Every fixture name and the baseids of the definitions pytest registered for it."""
    manager = session._fixturemanager
    registered = {n: list(d) for n, d in (getattr(manager, "_arg2fixturedefs", None) or {}).items()}  # < 9.1
    for attribute in ("_arg2node2fixturedefs", "_arg2nodeid2fixturedefs"):  # 9.1+
        for name, by_owner in (getattr(manager, attribute, None) or {}).items():
            registered.setdefault(name, []).extend(d for defs in by_owner.values() for d in defs)
    found = {name: sorted(_baseid(d) for d in defs) for name, defs in registered.items()}
    with open(os.environ["SPLITTER_VISIBILITY_OUT"], "w") as out:
        json.dump(found, out)
'''
WHERE = ("rootdir", "tests", "parent")


@pytest.fixture(scope="module", params=["package", "no-package"])
def visibility_trees(request, tmp_path_factory) -> tuple[Path, Path]:
    """(the project as written, the project split), written once per layout."""
    base = tmp_path_factory.mktemp(f"visibility-{request.param}")
    trees = []
    for name in ("original", "split"):
        root = base / name / "project"
        for path, text in VISIBILITY_PROJECT.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text.lstrip())
        if request.param == "package":
            for package in ("tests", "tests/unit"):
                (root / package / "__init__.py").write_text("")
        trees.append(root)
    migrated = run_cli("migrate", str(trees[1] / "tests" / "conftest.py"), "--yes", "--no-verify", "--no-measure")
    assert migrated.returncode == 0, migrated.stderr
    (base / "probe").mkdir()
    (base / "probe" / "visibility_probe.py").write_text(PROBE)
    return trees[0], trees[1]


def registered_fixtures(python: str, root: Path, mode: str, where: str) -> tuple[dict[str, list[str]], str]:
    """(fixture name -> baseids, the last line of the run) of one pytest invocation of the project at ``root``."""
    cwd, args = {"rootdir": (root, []), "tests": (root / "tests", []), "parent": (root.parent, [root.name])}[where]
    out = root.parent / f"visibility-{where}-{mode}.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=str(root.parent.parent / "probe"),
        SPLITTER_VISIBILITY_OUT=str(out),
    )
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "visibility_probe", f"--import-mode={mode}"]
    done = subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return json.loads(out.read_text()), done.stdout.strip().splitlines()[-1].split(" in ")[0]


def loader_fixtures(tests: Path) -> tuple[set[str], set[str]]:
    """(the stubs, the eagerly imported fixtures) the generated loader module registers."""
    tree = ast.parse((tests / "conftest_loader.py").read_text())
    tables = {
        node.targets[0].id: ast.literal_eval(node.value) if node.targets[0].id == "_LAZY_FIXTURES" else node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    stubs = set(tables["_LAZY_FIXTURES"])
    exported = {key.value for key in tables["CONFTEST_NAMES"].keys} - {"__getattr__"}
    return stubs, exported - stubs


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("mode", ("prepend", "importlib"))
@pytest.mark.parametrize("python", PYTHONS, ids=lambda p: f"pytest-{pytest_version(p)}")
def test_every_fixture_keeps_the_root_conftests_visibility(python, mode, where, visibility_trees):
    original, split = visibility_trees
    stubs, eager = loader_fixtures(split / "tests")

    before, ran_before = registered_fixtures(python, original, mode, where)
    after, ran_after = registered_fixtures(python, split, mode, where)

    assert stubs == {"heavy", "overridden"} and eager >= {"light", "_autouse_marker", "doctest_namespace"}
    for name in stubs | eager:
        assert "tests" in after[name], (name, after[name])
    assert after == before
    assert ran_after == ran_before and "failed" not in ran_after
