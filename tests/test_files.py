"""files: reading sources and paths as the user gives them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from splitter.files import pytest_args_from_rootdir
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
