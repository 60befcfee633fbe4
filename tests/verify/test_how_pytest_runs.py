"""How splitter starts pytest and measures imports: as the user's ``pytest`` would, and repeatably.

Real CLI runs on small projects written here: the same hash seed in both runs,
no rootdir on ``sys.path`` (a package's ``typing/`` must not shadow the standard
library), and a test that fails once is re-run before it counts as changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.verify.splits import copy_corpus

INI = "[tool.pytest.ini_options]\naddopts = '-p no:cacheprovider'\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def save_and_compare(root: Path, snapshot: Path) -> tuple[int, str]:
    saved = run_cli("verify", str(root), "--save", str(snapshot))
    assert saved.returncode == 0, saved.stdout + saved.stderr
    again = run_cli("verify", str(root), "--against", str(snapshot))
    return again.returncode, again.stdout + again.stderr


def test_params_from_a_set_compare_equal_between_runs(tmp_path):
    root = write(tmp_path / "project", {
        "pyproject.toml": INI,
        "tests/conftest.py": (
            "import pytest\n\nNAMES = {'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'}\n\n"
            "@pytest.fixture(params=list(NAMES))\ndef name(request):\n    return request.param\n"
        ),
        "tests/test_names.py": "def test_name(name):\n    assert name\n",
    })  # fmt: skip
    code, output = save_and_compare(root, tmp_path / "snapshot.json")
    assert code == 0, output
    assert "the outcomes of 6 tests" in output


def test_a_package_rootdir_does_not_shadow_the_standard_library(tmp_path):
    root = write(tmp_path / "pkg", {
        "pyproject.toml": INI,
        "__init__.py": "",
        "typing/__init__.py": "raise ImportError('pkg/typing shadows the standard library')\n",
        "conftest.py": (
            "import pytest\n\ntry:\n    import not_installed_anywhere  # noqa: F401\n"
            "except ImportError:\n    HAS_IT = False\n\n"
            "@pytest.fixture\ndef answer():\n    return 42\n"
        ),
        "test_answer.py": "def test_answer(answer):\n    assert answer == 42\n",
    })  # fmt: skip
    code, output = save_and_compare(root, tmp_path / "snapshot.json")
    assert code == 0, output
    analyzed = run_cli("analyze", str(root / "conftest.py"), "--json")
    assert analyzed.returncode == 0, analyzed.stdout + analyzed.stderr
    warnings = json.loads(analyzed.stdout)["summary"]["warnings"]
    assert any(
        w.startswith(
            "could not import not_installed_anywhere to measure it: ModuleNotFoundError"
        )
        for w in warnings
    ), warnings


def test_a_test_that_fails_once_is_rerun_before_it_counts(tmp_path):
    root = write(tmp_path / "project", {
        "pyproject.toml": INI,
        "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef runs():\n    return 1\n",
        "tests/test_flaky.py": (
            "from pathlib import Path\n\nCOUNT = Path(__file__).with_name('count.txt')\n\n"
            "def test_fails_on_the_second_run(runs):\n"
            "    n = int(COUNT.read_text()) + 1 if COUNT.exists() else 1\n"
            "    COUNT.write_text(str(n))\n"
            "    assert n != 2\n"
        ),
    })  # fmt: skip
    code, output = save_and_compare(root, tmp_path / "snapshot.json")
    assert code == 0, output
    assert (root / "tests/count.txt").read_text() == "3"


def test_under_xdist_one_run_records_the_api_and_the_outcomes(tmp_path):
    root = copy_corpus("shared_state", tmp_path)
    snapshot = tmp_path / "snapshot.json"
    saved = run_cli("verify", str(root), "--save", str(snapshot), "--", "-n", "2")
    assert saved.returncode == 0, saved.stdout + saved.stderr
    recorded = json.loads(snapshot.read_text())
    nodeids = {i["nodeid"] for i in recorded["api"]["items"]}
    assert len(nodeids) == 8 and set(recorded["api"]["outcomes"]) == nodeids
    assert [m["label"] for m in recorded["measurements"]] == ["collect", "run"]
    assert "tests/conftest.py" in recorded["api"]["namespaces"]
