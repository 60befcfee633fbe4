"""Static conftest-import discovery and the migrate manifest (pure or tmp_path only)."""

from __future__ import annotations

import ast
import pytest

from splitter.errors import UserError
from splitter.safety.manifest import (
    FileAction,
    Manifest,
    ManifestFile,
    load_manifest,
    save_manifest,
)
from splitter.verify import imports
from splitter.verify.imports import conftest_imports_in, conftest_writes_in, scan_conftest_imports, scan_conftest_writes


@pytest.mark.parametrize(
    ("source", "package", "expected"),
    [
        pytest.param(
            "from tests.conftest import A, B as C",
            ("tests", "unit"),
            [("tests.conftest", "A"), ("tests.conftest", "B")],
            id="absolute",
        ),
        pytest.param(
            "from .conftest import A",
            ("tests", "unit"),
            [("tests.unit.conftest", "A")],
            id="relative",
        ),
        pytest.param(
            "from ..conftest import A",
            ("tests", "unit"),
            [("tests.conftest", "A")],
            id="parent",
        ),
        pytest.param(
            "from . import conftest", ("tests",), [("tests", "conftest")], id="module"
        ),
        pytest.param(
            "from conftest import *", ("tests",), [("conftest", "*")], id="bare-star"
        ),
        pytest.param(
            "def f():\n    from tests.conftest import A",
            (),
            [("tests.conftest", "A")],
            id="inside-function",
        ),
        pytest.param(
            "from tests.helpers import A\nimport tests.conftest",
            (),
            [],
            id="not-from-conftest",
        ),
        pytest.param(
            "from tests import conftest\n\ndef test():\n    conftest.helper(conftest.__name__)",
            (),
            [("tests", "conftest"), ("tests.conftest", "helper")],
            id="module-attribute",
        ),
        pytest.param(
            "import tests.conftest as c\nimport tests.conftest\nx = c.A + tests.conftest.B + getattr(c, 'C')",
            (),
            [("tests.conftest", "A"), ("tests.conftest", "B"), ("tests.conftest", "C")],
            id="imported-module-attributes",
        ),
        pytest.param(
            "def f():\n    from . import conftest as here\n    return here.helper, other.helper",
            ("tests",),
            [("tests", "conftest"), ("tests.conftest", "helper")],
            id="relative-module-attribute",
        ),
        pytest.param(
            "import conftest\nconftest.VALUE",
            (),
            [("conftest", "VALUE")],
            id="bare-module-attribute",
        ),
    ],
)
def test_conftest_imports_in(source, package, expected):
    assert list(conftest_imports_in(source, package)) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("from tests import conftest\nconftest.FLAG = True", [("tests.conftest", "FLAG")], id="assign"),
        pytest.param("import tests.conftest as c\nc.N += 1\ndel c.M", [("tests.conftest", "N"), ("tests.conftest", "M")], id="augassign-del"),
        pytest.param(
            "from tests import conftest\ndef test(monkeypatch):\n    monkeypatch.setattr(conftest, 'A', 1)",
            [("tests.conftest", "A")],
            id="monkeypatch",
        ),
        pytest.param("def test(monkeypatch):\n    monkeypatch.setattr('tests.conftest.B', 2)", [("tests.conftest", "B")], id="dotted-path"),
        pytest.param("from tests import conftest\nx = conftest.A\nother.B = 1", [], id="reads-only"),
    ],
)
def test_conftest_writes_in(source, expected):
    assert list(conftest_writes_in(source, ())) == expected


def test_scan_skips_conftests_and_virtualenvs(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_a.py").write_text("from tests.conftest import User\n")
    (tmp_path / "tests/conftest.py").write_text("from tests.conftest import Nope\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv/test_v.py").write_text("from tests.conftest import Nope\n")
    (found,) = scan_conftest_imports(tmp_path)
    assert (found.module, found.name, found.importers) == (
        "tests.conftest",
        "User",
        ("tests/test_a.py",),
    )


def test_relative_imports_name_the_module_pytest_imports(tmp_path):
    """``from .conftest import X`` beside a rootdir conftest means the conftest of the file's
    package as pytest names it: ``shop.conftest`` when the rootdir is the package ``shop``,
    never a top-level ``conftest`` (where a relative import cannot work)."""
    root = tmp_path / "shop"
    (root / "tests").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "tests/__init__.py").write_text("")
    (root / "test_beside.py").write_text("from .conftest import Order\n")
    (root / "tests/test_deep.py").write_text("from .. import conftest\nfrom ..conftest import TAX_RATE\n")
    found = {(i.module, i.name) for i in scan_conftest_imports(root)}
    assert found == {("shop.conftest", "Order"), ("shop.conftest", "TAX_RATE"), ("shop", "conftest")}


def test_relative_imports_outside_packages_name_the_folders_from_the_rootdir(tmp_path):
    """Without ``__init__.py`` a relative import works only under ``--import-mode=importlib``,
    which names ``tests/test_a.py`` ``tests.test_a``."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_a.py").write_text("from .conftest import User\n")
    assert [(i.module, i.name) for i in scan_conftest_imports(tmp_path)] == [("tests.conftest", "User")]


def test_a_file_unchanged_between_scans_is_parsed_once(tmp_path, monkeypatch):
    """migrate scans the tree for the plan, before the split and after it."""
    parsed: list[str] = []
    parse = ast.parse
    monkeypatch.setattr(imports.ast, "parse", lambda source: parsed.append(source) or parse(source))
    monkeypatch.setenv("SPLITTER_CACHE_DIR", str(tmp_path / "cache"))  # remembered per file content
    (tmp_path / "tests").mkdir()
    test_a = tmp_path / "tests/test_a.py"
    test_a.write_text("from tests import conftest\n\ndef test_a(monkeypatch):\n    conftest.FLAG = 1\n")
    first = (scan_conftest_imports(tmp_path), scan_conftest_writes(tmp_path))
    assert (scan_conftest_imports(tmp_path), scan_conftest_writes(tmp_path)) == first
    assert first[1] == (("tests.conftest", "FLAG"),) and len(parsed) == 1
    test_a.write_text("from tests.conftest import Admin\n")
    (changed,) = scan_conftest_imports(tmp_path)
    assert changed.name == "Admin" and len(parsed) == 2


MANIFEST = Manifest(
    tool_version="0.1.0", created_at="2025-01-31T12:00:00+00:00", conftest="conftest.py",
    backup=".splitter/backup/conftest.py", legacy_sha256="ab" * 32,
    files=(
        ManifestFile("conftest.py", "cd" * 32, FileAction.REPLACED, ".splitter/backup/conftest.py"),
        ManifestFile("conftest_services.py", "ef" * 32, FileAction.CREATED),
    ),
)  # fmt: skip


def test_manifest_round_trip(tmp_path):
    save_manifest(tmp_path, MANIFEST)
    assert load_manifest(tmp_path) == MANIFEST


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(None, "no migration backup found next to", id="missing"),
        pytest.param("{", "is not a readable splitter manifest", id="not-json"),
        pytest.param(
            '{"schema_version": 99}', "unsupported schema_version 99", id="future"
        ),
    ],
)
def test_manifest_errors_are_one_clear_sentence(tmp_path, text, message):
    if text is not None:
        (tmp_path / ".splitter").mkdir()
        (tmp_path / ".splitter/manifest.json").write_text(text)
    with pytest.raises(UserError, match=message):
        load_manifest(tmp_path)
