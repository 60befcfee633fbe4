"""Fixtures a conftest imports from the project's own modules (sources given as a dict)."""

from __future__ import annotations

from textwrap import dedent

import pytest

from splitter.analyze.imported import ModuleSource, with_imported_fixtures
from splitter.analyze.parse import parse_conftest

PLUGIN = {
    "plugin": (
        "import pytest\nfrom .impl import deep\n__all__ = ['plain']\n\n"
        "@pytest.fixture\ndef plain():\n    pass\n\n"
        "@pytest.fixture(name='renamed')\ndef _impl():\n    pass\n\n"
        "def helper():\n    pass\n",
        True,
    ),
    "plugin.impl": ("import pytest\n\n@pytest.fixture(scope='session')\ndef deep(tmp_path):\n    pass\n", False),
    "broken": ("import pytest\ndef (:\n", False),
    "tests.helpers": ("import pytest\n\n@pytest.fixture\ndef local():\n    pass\n", False),
}


def imported(conftest: str, package: str | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    def lookup(name: str) -> ModuleSource | None:
        found = PLUGIN.get(name)
        return None if found is None else ModuleSource(f"{name}.py", found[0], found[1])

    model = with_imported_fixtures(parse_conftest(dedent(conftest)), package, lookup, parse_conftest)
    return [(f.name, f.decorator_form, f.argnames) for f in model.fixtures]


@pytest.mark.parametrize(
    ("conftest", "expected"),
    [
        pytest.param("from plugin import plain, helper", [("plain", "from plugin import plain", ())], id="plain"),
        pytest.param("from plugin import plain as other", [("other", "from plugin import plain", ())], id="as"),
        pytest.param("from plugin import _impl as x", [("renamed", "from plugin import _impl", ())], id="name-keyword"),
        pytest.param("from plugin import deep", [("deep", "from plugin import deep", ("tmp_path",))], id="re-exported"),
        pytest.param("from plugin import *", [("plain", "from plugin import plain", ())], id="star-with-all"),
        pytest.param("from plugin.impl import *", [("deep", "from plugin.impl import deep", ("tmp_path",))], id="star"),
        pytest.param("from .helpers import local", [("local", "from tests.helpers import local", ())], id="relative"),
        pytest.param("from broken import x\nfrom os import path", [], id="unparsable-or-elsewhere"),
        pytest.param(
            "from plugin import plain\nagain = plain",
            [("plain", "from plugin import plain", ()), ("again", "from plugin import plain", ())],
            id="second-attribute",
        ),
    ],
)
def test_imported_fixtures(conftest: str, expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    assert imported(conftest, package="tests") == expected
