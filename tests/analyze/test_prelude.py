"""What a conftest sets up before its imports, read without running it, and replayed when measuring them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import libcst as cst
import pytest

from splitter.analyze.measure import MeasureSettings, measure_modules
from splitter.analyze.prelude import read_prelude
from splitter.analyze.references import StatementIndex
from splitter.model import AFTER_THE_CONFTEST, Action, Prelude, Step

CONFTEST = "/project/tests/conftest.py"


def prelude_of(source: str, package: str | None = None) -> Prelude:
    source = dedent(source)
    module = cst.parse_module(source)
    index = StatementIndex(module)
    return read_prelude([(index.span(s).start_line, s) for s in module.body], source, CONFTEST, package)


def described(source: str) -> list[str]:
    return [s.describe() for s in prelude_of(source).steps]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param('import os\nos.environ["A"] = "1"\n', ["A=1"], id="item"),
        pytest.param('import os\nos.environ.setdefault("A", "1")\n', ["A=1 (if unset)"], id="setdefault"),
        pytest.param(
            'import os\nos.environ.update({"A": "1", "B": "2"})\nos.environ.update(C="3")\n',
            ["A=1", "B=2", "C=3"],
            id="update",
        ),
        pytest.param('import os\ndel os.environ["A"]\nos.environ.pop("B", None)\n', ["unset A", "unset B"], id="unset"),
        pytest.param('from os import environ as env\nenv["A"] = "1"\n', ["A=1"], id="from-os-import-environ"),
        pytest.param('import os as o\nKEY = "secret"\no.environ["A"] = KEY\n', ["A=secret"], id="constant"),
        pytest.param(
            'import pytest\npytest.MonkeyPatch().setenv("A", "1")\n', ["A=1"], id="monkeypatch-inline"
        ),
        pytest.param(
            'from pytest import MonkeyPatch\nmp = MonkeyPatch()\nmp.setenv("A", "1")\nmp.delenv("B", raising=False)\n',
            ["A=1", "unset B"],
            id="monkeypatch-name",
        ),
        pytest.param(
            'import sys\nfrom pathlib import Path\nsys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))\n',
            ["sys.path: /project/src"],
            id="path-file-parent",
        ),
        pytest.param(
            'import os, sys\nsys.path.append(os.path.join(os.path.dirname(__file__), "..", "lib"))\n',
            ["sys.path: /project/lib"],
            id="os-path-join",
        ),
        pytest.param(
            'import sys, pathlib\nROOT = pathlib.Path(__file__).parents[1]\nsys.path.extend([str(ROOT / "a"), "/opt/b"])\n',
            ["sys.path: /project/a", "sys.path: /opt/b"],
            id="named-root-extend",
        ),
        pytest.param('import os\nos.environ["A"] = "x" + "y"\n', ["A=xy"], id="concatenation"),
    ],
)
def test_literal_forms_are_replayed(source: str, expected: list[str]) -> None:
    assert described(source) == expected


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param('import os\nos.environ["A"] = compute()\n', "not a literal", id="call"),
        pytest.param('import os\nos.environ[f"A{1}"] = "1"\n', "not a literal", id="f-string-key"),
        pytest.param('import os, sys\nsys.path.insert(0, os.getcwd())\n', "not a literal", id="cwd"),
        pytest.param('import os\nif True:\n    os.environ["A"] = "1"\n', "inside a block", id="if-block"),
        pytest.param(
            'import os\ntry:\n    os.environ.setdefault("A", "1")\nexcept KeyError:\n    pass\n',
            "inside a block",
            id="try-block",
        ),
    ],
)
def test_other_forms_are_listed_as_not_replayed(source: str, reason: str) -> None:
    prelude = prelude_of(source)
    assert prelude.steps == ()
    assert len(prelude.not_replayed) == 1 and reason in prelude.not_replayed[0].reason


def test_a_function_body_is_not_part_of_the_prelude() -> None:
    assert described('import os\ndef helper():\n    os.environ["A"] = "1"\n') == []


def test_steps_apply_to_the_imports_after_them() -> None:
    prelude = prelude_of(
        """\
        import os
        import light
        NAME = light.NAME
        os.environ["APP_ENV"] = "test"
        from .app import create  # relative: resolved with the package
        os.environ["LATER"] = "1"

        def pytest_configure(config):
            os.environ["CONFIGURED"] = "1"
            config.addinivalue_line("markers", "slow")
        """,
        package="tests",
    )
    names = lambda steps: [s.name for s in steps]  # noqa: E731
    assert names(prelude.before("light")) == []
    assert names(prelude.before("tests.app")) == ["APP_ENV"]
    assert names(prelude.before("imported_by_a_test")) == ["APP_ENV", "LATER", "CONFIGURED"]
    assert prelude.steps[-1].position == AFTER_THE_CONFTEST


def test_a_side_effect_import_comes_first_but_not_a_read_one() -> None:
    prelude = prelude_of(
        """\
        import os
        import pandas as pd
        import _test_env  # noqa: F401
        from app import main
        FRAME, APP = pd.DataFrame, main.app
        """
    )
    assert prelude.steps == (Step(2, 3, Action.IMPORT, "_test_env"),)
    assert [s.name for s in prelude.before("app")] == ["_test_env"]
    assert prelude.before("_test_env") == ()
    assert prelude.keeping_imports(lambda module: False).steps == ()


# -- measured for real: a project whose import needs the conftest's set-up ---------------


def needy_project(root: Path) -> None:
    """A project whose package is under src/ and refuses to import without NEEDY_MODE."""
    (root / "src" / "needy").mkdir(parents=True)
    (root / "src" / "needy" / "__init__.py").write_text(
        'import os\nif os.environ.get("NEEDY_MODE") != "test":\n    raise RuntimeError("NEEDY_MODE is not set")\n'
        "BLOB = bytearray(8 * 1024 * 1024)\n"
    )
    (root / "tests").mkdir()
    (root / "pytest.ini").write_text("[pytest]\n")


def measured(root: Path, prelude: Prelude, fork: bool) -> tuple[float | None, str | None]:
    settings = MeasureSettings(rootdir=root, cache_dir=root / "cache", prelude=prelude, fork=fork)
    cost = measure_modules(["needy"], settings)["needy"]
    return cost.megabytes, cost.error


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "fresh-interpreter"])
def test_a_module_that_needs_the_setup_is_measured_after_it(tmp_path: Path, fork: bool) -> None:
    needy_project(tmp_path)
    conftest = tmp_path / "tests" / "conftest.py"
    source = dedent(
        """\
        import os, sys
        from pathlib import Path
        sys.path.insert(0, str(Path(__file__).parent.parent / "src"))
        os.environ.setdefault("NEEDY_MODE", "test")
        import needy
        """
    )
    module = cst.parse_module(source)
    index = StatementIndex(module)
    prelude = read_prelude([(index.span(s).start_line, s) for s in module.body], source, str(conftest), None)
    alone = measured(tmp_path, Prelude(), fork)
    replayed = measured(tmp_path, prelude, fork)
    assert alone[0] is None and "No module named 'needy'" in (alone[1] or "")
    assert replayed[1] is None and replayed[0] is not None and replayed[0] >= 7.0


def analyze_json(conftest: Path, cache: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "splitter", "analyze", str(conftest), "--json"],
        cwd=conftest.parent,
        env={**os.environ, "SPLITTER_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_prelude_is_part_of_the_cache_key(tmp_path: Path) -> None:
    needy_project(tmp_path)
    conftest = tmp_path / "tests" / "conftest.py"
    template = (
        "import os, sys\nimport pytest\n"
        'sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))\n'
        'os.environ["NEEDY_MODE"] = "{mode}"\nimport needy\n\n'
        "@pytest.fixture\ndef blob():\n    return needy.BLOB\n"
    )
    (tmp_path / "tests" / "test_it.py").write_text("def test_blob(blob):\n    assert blob\n")
    conftest.write_text(template.format(mode="test"))
    first = analyze_json(conftest, tmp_path / "cache")
    conftest.write_text(template.format(mode="production"))
    second = analyze_json(conftest, tmp_path / "cache")
    needy = lambda document: next(m for m in document["modules"] if m["module"] == "needy")  # noqa: E731
    assert needy(first)["measured_mb"] >= 7.0 and needy(first)["error"] is None
    assert needy(second)["cached"] is False and "NEEDY_MODE is not set" in needy(second)["error"]
    assert second["saving_estimate"]["lower_bound"] is True
    assert second["saving_estimate"]["unmeasured"] == ["needy"]


def test_an_unmeasured_import_makes_the_estimate_a_lower_bound_never_little_to_gain(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "broken_app.py").write_text('raise RuntimeError("needs a database")\n')
    (tmp_path / "tests").mkdir()
    conftest = tmp_path / "tests" / "conftest.py"
    conftest.write_text("import pytest\nimport broken_app\n\n@pytest.fixture\ndef app():\n    return broken_app\n")
    (tmp_path / "tests" / "test_it.py").write_text("def test_one():\n    pass\n")
    done = subprocess.run(
        [sys.executable, "-m", "splitter", "analyze", "tests/conftest.py"],
        cwd=tmp_path,
        env={**os.environ, "SPLITTER_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "little to gain" not in done.stdout
    assert "cannot tell yet (an import could not be measured)" in done.stdout
    assert "lower bound: could not measure broken_app" in done.stdout
    assert "could not import broken_app to measure it: RuntimeError: needs a database" in done.stdout


def test_a_test_files_unmeasurable_import_does_not_make_the_estimate_a_lower_bound(tmp_path: Path) -> None:
    """Only what the conftest loads can hide a saving: a test file's import is loaded split or not."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "broken_app.py").write_text('raise RuntimeError("needs a database")\n')
    (tmp_path / "tests").mkdir()
    conftest = tmp_path / "tests" / "conftest.py"
    conftest.write_text("import pytest\nimport json\n\n@pytest.fixture\ndef payload():\n    return json.dumps({})\n")
    (tmp_path / "tests" / "test_it.py").write_text(
        "try:\n    import broken_app\nexcept RuntimeError:\n    broken_app = None\n\n"
        "def test_one(payload):\n    assert payload\n"
    )
    document = analyze_json(conftest, tmp_path / "cache")
    assert document["saving_estimate"]["lower_bound"] is False
    assert document["saving_estimate"]["unmeasured"] == []


def test_the_per_file_figure_is_measured_when_an_optional_import_is_missing(tmp_path: Path) -> None:
    """pandas' conftest probes ``pyarrow`` with ``try``/``except ImportError``: missing in the
    measuring process as in the test run, it does not stop the per-file figure being measured."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "tests").mkdir()
    conftest = tmp_path / "tests" / "conftest.py"
    conftest.write_text(
        "import json\n\nimport pytest\n\ntry:\n    import splitter_not_installed_anywhere\n"
        "except ImportError:\n    splitter_not_installed_anywhere = None\n\n"
        "@pytest.fixture\ndef payload():\n    return json.dumps({})\n"
    )
    (tmp_path / "tests" / "test_it.py").write_text("def test_one(payload):\n    assert payload\n")
    estimate = analyze_json(conftest, tmp_path / "cache")["saving_estimate"]
    assert estimate["light_file"]["measured"] is True
    assert estimate["lower_bound"] is False
