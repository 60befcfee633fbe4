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
    # a fixture package whose __init__.py star-imports its modules; two modules star-import each other
    "pkg": ("from .accounts import *  # noqa: F403\nfrom .loop_a import *  # noqa: F403\n", True),
    "pkg.accounts": ("import pytest\n\n@pytest.fixture\ndef account():\n    pass\n", False),
    "pkg.loop_a": ("from .loop_b import *  # noqa: F403\n", False),
    "pkg.loop_b": ("import pytest\nfrom .loop_a import *  # noqa: F403\n\n@pytest.fixture\ndef looped():\n    pass\n", False),
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
            "from pkg import *",
            [("account", "from pkg import account", ()), ("looped", "from pkg import looped", ())],
            id="star-of-a-package-of-star-imports",
        ),
        pytest.param(
            "from plugin import plain\nagain = plain",
            [("plain", "from plugin import plain", ()), ("again", "from plugin import plain", ())],
            id="second-attribute",
        ),
    ],
)
def test_imported_fixtures(conftest: str, expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    assert imported(conftest, package="tests") == expected


STAR_MODULES = {
    "fx.literal": "import pytest\nimport sqlalchemy\n__all__ = ['db', 'URL']\nURL = 'x'\n\n@pytest.fixture(scope='session')\ndef db():\n    pass\n",
    "fx.public": "import pytest\nimport pandas as pd\n\n@pytest.fixture(params=[1, 2], ids=['a', 'b'])\ndef frame(request):\n    pass\n\ndef _hidden():\n    pass\n",
    "fx.computed": "import pytest\n\n@pytest.fixture\ndef now():\n    pass\n\n__all__ = [n for n in ('now',)]\n",
    "fx.mutated": "import pytest\n__all__ = ['a']\n__all__.append('b')\n\n@pytest.fixture\ndef a():\n    pass\n",
    "fx.alias": "import pytest\n\n@pytest.fixture\ndef db():\n    pass\n\nother = db\n",
    "fx.autouse": "import pytest\n\n@pytest.fixture(autouse=True)\ndef audit():\n    pass\n",
    "fx.params": "import pytest\nKINDS = [1, 2]\n\n@pytest.fixture(params=KINDS)\ndef kind(request):\n    pass\n",
    "fx.effect": "import os\nimport pytest\nos.environ['X'] = '1'\n\n@pytest.fixture\ndef env():\n    pass\n",
    "fx.hook": "import pytest\n\ndef pytest_configure(config):\n    pass\n\n@pytest.fixture\ndef hooked():\n    pass\n",
    "fx.aio": "import pytest_asyncio\n\n@pytest_asyncio.fixture\nasync def conn():\n    pass\n",
    "fx.guarded": "import os\nimport pytest\nif os.environ.get('CI'):\n    os.environ['DB'] = 'ci'\n\n@pytest.fixture\ndef db():\n    pass\n",
    "fx.rebinds": "import pytest\nfrom datetime import datetime\n\n@pytest.fixture\ndef stamp():\n    return datetime.now()\n",
}


def star(conftest: str) -> tuple[tuple[str, ...], str | None, tuple[str, ...]] | None:
    """(names, blocker, modules it imports) of the conftest's last star import."""

    def lookup(name: str) -> ModuleSource | None:
        found = STAR_MODULES.get(name)
        return None if found is None else ModuleSource(f"{name}.py", found, False)

    model = with_imported_fixtures(parse_conftest(dedent(conftest)), None, lookup, parse_conftest)
    found = [d.star for d in model.definitions if d.star is not None]
    if not found:
        return None
    return found[-1].names, found[-1].blocker, found[-1].imports


@pytest.mark.parametrize(
    ("conftest", "expected"),
    [
        pytest.param("from fx.literal import *", (("db", "URL"), None, ("pytest", "sqlalchemy")), id="literal-all"),
        pytest.param(
            "import pytest\nfrom fx.public import *",
            (("pd", "frame"), None, ("pandas", "pytest")),
            id="public-names-conftest-keeps-pytest",
        ),
        pytest.param(
            "from fx.computed import *",
            ((), "its __all__ is computed: what it binds is not known before it runs", ()),
            id="computed-all",
        ),
        pytest.param(
            "from fx.mutated import *",
            ((), "its __all__ is computed: what it binds is not known before it runs", ()),
            id="all-changed-after-binding",
        ),
        pytest.param("from elsewhere import *", None, id="not-the-project's"),
    ],
)
def test_what_a_star_import_binds(conftest: str, expected: object) -> None:
    assert star(conftest) == expected


@pytest.mark.parametrize(
    ("conftest", "blocker"),
    [
        pytest.param("from fx.autouse import *", "its fixture 'audit' is autouse", id="autouse"),
        pytest.param("from fx.alias import *", "fx.alias binds other, a second name", id="alias"),
        pytest.param("from fx.params import *", "its fixture 'kind' has params=KINDS", id="computed-params"),
        pytest.param("from fx.effect import *", "fx.effect runs code at import", id="side-effect"),
        pytest.param("from fx.hook import *", "fx.hook binds pytest_configure", id="hook"),
        pytest.param("from fx.aio import *", "its fixture 'conn' is made by pytest_asyncio.fixture", id="async"),
        pytest.param("URL = 1\nfrom fx.literal import *", "it binds URL, which the conftest binds too", id="clash"),
        pytest.param("from fx.guarded import *", "fx.guarded runs code at import", id="code-under-if"),
        pytest.param(
            "import datetime\nfrom fx.rebinds import *",
            "it binds datetime, which the conftest binds too",
            id="module-name-rebound-by-the-star",
        ),
    ],
)
def test_star_imports_whose_fixtures_cannot_be_stubs(conftest: str, blocker: str) -> None:
    found = star(conftest)
    assert found is not None and found[1] is not None and found[1].startswith(blocker)
