"""files: reading sources and paths as the user gives them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from splitter.files import find_module_file, pytest_args_from_rootdir
from tests.conftest import CORPUS, run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A rootdir (``pkg/``, with its own ini) below the directory the user stands in."""
    (tmp_path / "pkg/tests/unit").mkdir(parents=True)
    (tmp_path / "pkg/pytest.ini").write_text("[pytest]\n")
    (tmp_path / "pkg/tests/unit/test_a.py").write_text("def test_a():\n    pass\n")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(("pkg/tests/unit",), ("tests/unit",), id="path-from-cwd"),
        pytest.param(("pkg/tests/unit/test_a.py::test_a",), ("tests/unit/test_a.py::test_a",), id="node-id"),
        pytest.param(("tests/unit",), ("tests/unit",), id="already-from-rootdir"),
        pytest.param(("-k", "unit", "-x"), ("-k", "unit", "-x"), id="options-untouched"),
        pytest.param(("no/such/path",), ("no/such/path",), id="missing-left-to-pytest"),
    ],
)
def test_pytest_args_read_from_the_rootdir(project: Path, args: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert pytest_args_from_rootdir(args, project / "pkg", project) == expected


def test_verify_takes_paths_from_where_the_user_stands(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "params_ids", tmp_path / "pkg", ignore=shutil.ignore_patterns("__pycache__"))
    subset = next(p for p in (tmp_path / "pkg/tests").glob("test_*.py"))
    snapshot = tmp_path / "api.json"
    args = ("--no-outcomes", "--", subset.relative_to(tmp_path).as_posix())
    saved = run_cli("verify", "pkg", "--save", str(snapshot), *args, cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    checked = run_cli("verify", "pkg", "--against", str(snapshot), *args, cwd=tmp_path)
    assert checked.returncode == 0 and "fixture API unchanged" in checked.stdout, checked.stderr


def _tree(root: Path, files: tuple[str, ...]) -> None:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")


@pytest.mark.parametrize(
    ("files", "name", "expected"),
    [
        # importlib's finders read the parent package `suite` from this process's sys.modules (KeyError)
        pytest.param(("suite/__init__.py", "suite/fixtures/api.py"), "suite.fixtures.api", ("suite/fixtures/api.py", False), id="namespace-subpackage"),
        pytest.param(("tests/fixtures/api.py",), "tests.fixtures.api", ("tests/fixtures/api.py", False), id="namespace-all-the-way"),
        pytest.param(("tests/__init__.py", "tests/fixtures/__init__.py"), "tests.fixtures", ("tests/fixtures/__init__.py", True), id="package"),
        pytest.param(("helpers.py", "helpers/__init__.py"), "helpers", ("helpers/__init__.py", True), id="package-before-module"),
        pytest.param(("helpers.py", "helpers/other.py"), "helpers", ("helpers.py", False), id="module-before-namespace"),
        pytest.param(("tests/fixtures/api.py",), "tests.fixtures", None, id="namespace-has-no-file"),
        pytest.param(("tests/__init__.py",), "tests.missing", None, id="missing"),
        pytest.param(("Tests/api.py",), "tests.api", None, id="case-as-spelled"),
    ],
)
def test_find_module_file_walks_the_folders_itself(tmp_path, files, name, expected):
    _tree(tmp_path, files)
    before = dict(sys.modules)
    found = find_module_file(name, [tmp_path])
    assert found == (None if expected is None else (tmp_path / expected[0], expected[1]))
    assert sys.modules == before


def test_find_module_file_joins_namespace_portions_across_roots(tmp_path):
    _tree(tmp_path, ("a/ns/one.py", "b/ns/two.py", "b/pkg/__init__.py", "a/pkg/inner.py"))
    roots = [tmp_path / "a", tmp_path / "b"]
    assert find_module_file("ns.two", roots) == (tmp_path / "b/ns/two.py", False)
    assert find_module_file("ns.one", roots) == (tmp_path / "a/ns/one.py", False)
    # a regular package in a later root hides the namespace portion of an earlier one
    assert find_module_file("pkg.inner", roots) is None
