"""Which module-level values a conftest's source fixes: those are compared by value, the
others (they may change on every run) by kind. docs/VERIFY.md, "Values that change on every run"."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from splitter.verify.plugin.splitter_snapshot_values import FixedValues


def fixed_names(tmp_path: Path, source: str, settings: str = "") -> frozenset[str]:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "conftest.py").write_text(textwrap.dedent(source))
    (package / "settings.py").write_text(textwrap.dedent(settings))
    modules = {"pkg.settings": str(package / "settings.py"), "json": "/usr/lib/python3/json/__init__.py"}
    return FixedValues(str(tmp_path), modules.get).of_file(str(package / "conftest.py"), "pkg")


@pytest.mark.parametrize(
    ("source", "fixed"),
    [
        pytest.param("X = 30", True, id="literal"),
        pytest.param("A = 3\nX = [A, A * 2, -A, f'{A}s', {'k': (A,)}[\"k\"]]", True, id="built-from-fixed"),
        pytest.param("X = sorted({'b', 'a'}) + list(range(len('ab')))", True, id="pure-builtins"),
        pytest.param("X = [i * 2 for i in range(3) if i]", True, id="comprehension"),
        pytest.param("X = __name__", True, id="module-name"),
        pytest.param("X = [1]\nX.append(2)\nX[0] = 0", True, id="changed-by-fixed-statements"),
        pytest.param("X = 1\nX += 1", True, id="augmented"),
        pytest.param("if 1 > 0:\n    X = 1\nelse:\n    X = 2", True, id="under-a-fixed-test"),
        pytest.param("for i in range(2):\n    pass\nX = 1", True, id="after-a-loop"),
        pytest.param("from .settings import FIX as X", True, id="imported-from-a-project-module-that-fixes-it"),
        pytest.param("import time\nX = time.time()", False, id="call"),
        pytest.param("import uuid\nX = uuid.uuid4().hex", False, id="call-then-attribute"),
        pytest.param("import uuid\nRUN = uuid.uuid4().hex\nX = f'run-{RUN[:8]}'", False, id="reads-a-run-dependent-name"),
        pytest.param("import sys\nX = sys.platform", False, id="attribute"),
        pytest.param("X = __file__", False, id="file"),
        pytest.param("def sorted(v):\n    return v\nX = sorted([1])", False, id="shadowed-builtin"),
        pytest.param("import random\nX = [1, 2]\nrandom.shuffle(X)", False, id="passed-to-a-call"),
        pytest.param("import time\nX = {}\nX['t'] = time.time()", False, id="item-from-a-call"),
        pytest.param("import os\nX = []\nX.append(os.getpid())", False, id="appended-from-a-call"),
        pytest.param("import os\nif os.environ.get('CI'):\n    X = 1\nelse:\n    X = 2", False, id="under-a-run-dependent-test"),
        pytest.param("try:\n    import yaml\n    X = True\nexcept ImportError:\n    X = False", False, id="in-try"),
        pytest.param("import os\nfor X in os.listdir('.'):\n    pass", False, id="loop-over-run-dependent"),
        pytest.param("X = None\ndef pytest_configure(config):\n    global X\n    X = 1", False, id="global-in-a-hook"),
        pytest.param("X = []\ndef pytest_sessionstart(session):\n    X.append(1)", False, id="changed-by-a-hook"),
        pytest.param("X = 1\nglobals()['Y'] = 2", False, id="dynamic-namespace"),
        pytest.param("X = 1\nfrom json import *", False, id="star-import-after"),
        pytest.param("from .settings import RUN as X", False, id="imported-run-dependent"),
        pytest.param("from json import dumps as X", False, id="imported-from-outside-the-project"),
    ],
)
def test_what_the_source_fixes(tmp_path: Path, source: str, fixed: bool) -> None:
    settings = "import time\nRUN = time.time()\nFIX = 'fixed'\n"
    assert ("X" in fixed_names(tmp_path, source, settings)) is fixed


def test_a_function_s_own_names_do_not_change_the_module_s(tmp_path: Path) -> None:
    source = "items = [1]\n\ndef helper():\n    items = []\n    items.append(2)\n    return items\n"
    assert "items" in fixed_names(tmp_path, source)
