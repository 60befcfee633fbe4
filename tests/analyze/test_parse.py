"""parse: one small source per construct, one-line test bodies."""

from __future__ import annotations

from textwrap import dedent

import pytest

from splitter.errors import UserError
from splitter.model import ConftestModel, Fixture
from splitter.analyze.parse import parse_conftest


def parse(src: str) -> ConftestModel:
    return parse_conftest(dedent(src))


def kinds(src: str) -> list[str]:
    return [d.kind.value for d in parse(src).definitions]


def only_fixture(src: str) -> Fixture:
    (fixture,) = parse(src).fixtures
    return fixture


def fixture_facts(src: str) -> tuple[object, ...]:
    f = only_fixture(src)
    return (f.name, f.function_name, f.scope.value, f.autouse, f.kind.value, f.argnames)


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            '"""doc"""\nimport os\n', ["docstring", "import"], id="docstring-import"
        ),
        pytest.param(
            "import os\n'''not a docstring'''\n",
            ["import", "side_effect"],
            id="late-string",
        ),
        pytest.param("from os.path import *\n", ["unmovable"], id="star-import"),
        pytest.param("X = 1\nY: int = 2\nX += 1\n", ["constant"] * 3, id="constants"),
        pytest.param(
            "pytest_plugins = ['a']\n", ["pytest_plugins"], id="pytest-plugins"
        ),
        pytest.param("def helper():\n    pass\n", ["helper_function"], id="helper"),
        pytest.param("class Helper:\n    pass\n", ["helper_class"], id="class"),
        pytest.param("def pytest_configure(config):\n    pass\n", ["hook"], id="hook"),
        pytest.param(
            "import os\nos.environ['A'] = '1'\n",
            ["import", "side_effect"],
            id="environ",
        ),
        pytest.param(
            "import sys\nsys.path.insert(0, 'x')\n",
            ["import", "side_effect"],
            id="sys-path",
        ),
        pytest.param(
            "import logging\nlogging.basicConfig()\n",
            ["import", "side_effect"],
            id="logging",
        ),
        pytest.param("if X:\n    Y = 1\n", ["conditional"], id="if"),
        pytest.param(
            "try:\n    import a\nexcept ImportError:\n    a = None\n",
            ["conditional"],
            id="try",
        ),
        pytest.param(
            "with open('f') as f:\n    D = f.read()\n", ["conditional"], id="with"
        ),
        pytest.param("for i in range(3):\n    print(i)\n", ["side_effect"], id="loop"),
        pytest.param("globals()['x'] = 1\n", ["unmovable"], id="globals-write"),
        pytest.param("vars()['x'] = 1\n", ["unmovable"], id="vars-write"),
        pytest.param("locals().update(x=1)\n", ["unmovable"], id="locals-write"),
        pytest.param("exec('x = 1')\n", ["unmovable"], id="exec"),
        pytest.param("X = eval('1')\n", ["unmovable"], id="eval"),
        pytest.param(
            "import sys\nsetattr(sys.modules[__name__], 'x', 1)\n",
            ["import", "unmovable"],
            id="setattr-self",
        ),
        pytest.param(
            "def __getattr__(name):\n    pass\n", ["unmovable"], id="module-getattr"
        ),
        pytest.param(
            "def f():\n    return globals()\n", ["unmovable"], id="globals-in-helper"
        ),
        pytest.param(
            "def f(obj):\n    return vars(obj)\n",
            ["helper_function"],
            id="vars-of-object-is-fine",
        ),
    ],
)
def test_statement_kinds(src: str, expected: list[str]) -> None:
    assert kinds(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "import pytest\n@pytest.fixture\ndef a(): pass\n",
            ("a", "a", "function", False, "plain", ()),
            id="bare",
        ),
        pytest.param(
            "import pytest\n@pytest.fixture()\ndef a(b, c=1): pass\n",
            ("a", "a", "function", False, "plain", ("b",)),
            id="called-defaults-dropped",
        ),
        pytest.param(
            "from pytest import fixture\n@fixture(scope='session')\ndef a(): pass\n",
            ("a", "a", "session", False, "plain", ()),
            id="from-import",
        ),
        pytest.param(
            "import pytest as pt\n@pt.fixture(scope='module', autouse=True)\ndef a(): yield\n",
            ("a", "a", "module", True, "generator", ()),
            id="module-alias",
        ),
        pytest.param(
            "import pytest_asyncio\n@pytest_asyncio.fixture\nasync def a(): pass\n",
            ("a", "a", "function", False, "async", ()),
            id="pytest-asyncio",
        ),
        pytest.param(
            "import pytest\n@pytest.fixture\nasync def a():\n    yield 1\n",
            ("a", "a", "function", False, "async_generator", ()),
            id="async-generator",
        ),
        pytest.param(
            "import pytest\n@pytest.fixture(name='db')\ndef db_fixture(self, x, *, y, z=2, **kw): pass\n",
            ("db", "db_fixture", "function", False, "plain", ("x", "y")),
            id="name-and-signature",
        ),
        pytest.param(
            "import pytest\ndef f():\n    def g(): yield\n    return 1\na = pytest.fixture(f)\n",
            ("a", "f", "function", False, "plain", ()),
            id="bound-call-nested-yield-ignored",
        ),
        pytest.param(
            "import pytest\ndef _impl(x): pass\nctr = pytest.fixture()(_impl)\n",
            ("ctr", "_impl", "function", False, "plain", ("x",)),
            id="bound-decorator-call",
        ),
        pytest.param(
            "import pytest\ndef _impl(): pass\ns = pytest.fixture(scope='session')(_impl)\n",
            ("s", "_impl", "session", False, "plain", ()),
            id="bound-with-scope",
        ),
        pytest.param(
            "import pytest\nsession_fixture = pytest.fixture(scope='session')\n@session_fixture\ndef a(): pass\n",
            ("a", "a", "session", False, "plain", ()),
            id="module-level-decorator-alias",
        ),
        pytest.param(
            "import functools, pytest\nauto = functools.partial(pytest.fixture, autouse=True)\n@auto\ndef a(): pass\n",
            ("a", "a", "function", True, "plain", ()),
            id="partial-alias",
        ),
        pytest.param(
            "import pytest\ndef make(v, scope='function'):\n    @pytest.fixture(scope=scope)\n    def _f():\n        return v\n    return _f\nalpha = make(1, scope='module')\n",
            ("alpha", "_f", "module", False, "plain", ()),
            id="factory",
        ),
        pytest.param(
            "import pytest\nSCOPE = 'session'\n@pytest.fixture(scope=SCOPE)\ndef a(): pass\n",
            ("a", "a", "session", False, "plain", ()),
            id="scope-constant",
        ),
        pytest.param(
            "import pytest\ndef pick(fixture_name, config): return 'session'\n@pytest.fixture(scope=pick)\ndef a(): pass\n",
            ("a", "a", "dynamic", False, "plain", ()),
            id="callable-scope",
        ),
    ],
)
def test_fixture_facts(src: str, expected: tuple[object, ...]) -> None:
    assert fixture_facts(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "import pytest\n@pytest.fixture\ndef a(): pass\n",
            "pytest.fixture",
            id="bare",
        ),
        pytest.param(
            "import pytest\n@pytest.fixture()\ndef a(): pass\n",
            "pytest.fixture()",
            id="empty-call",
        ),
        pytest.param(
            "import pytest as pt\n@pt.fixture(scope='module')\ndef a(): pass\n",
            "pt.fixture(...)",
            id="alias-call",
        ),
        pytest.param(
            "import pytest\ndef f(): pass\na = pytest.fixture()(f)\n",
            "pytest.fixture()(f)",
            id="bound",
        ),
    ],
)
def test_decorator_form(src: str, expected: str) -> None:
    assert only_fixture(src).decorator_form == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "import pytest\n@pytest.fixture(params=[1, 2], ids=['a', 'b'])\ndef a(request): pass\n",
            ("[1, 2]", "['a', 'b']"),
            id="literal",
        ),
        pytest.param(
            "import pytest\nP = [1]\n@pytest.fixture(params=P)\ndef a(request): pass\n",
            ("P", None),
            id="name",
        ),
    ],
)
def test_params_and_ids_as_written(
    src: str, expected: tuple[str | None, str | None]
) -> None:
    assert (only_fixture(src).params_source, only_fixture(src).ids_source) == expected


def test_not_a_fixture_when_decorator_is_a_local_lookalike() -> None:
    assert (
        parse(
            "class pytest:\n    fixture = staticmethod(lambda f: f)\n@pytest.fixture\ndef a(): pass\n"
        ).fixtures
        == ()
    )


def test_fixtures_in_both_branches_belong_to_the_conditional_block() -> None:
    src = "import pytest, sys\nif sys.platform == 'x':\n    @pytest.fixture\n    def tool(): pass\nelse:\n    @pytest.fixture\n    def tool(): pass\n"
    assert [
        (d.kind.value, [f.name for f in d.fixtures]) for d in parse(src).definitions
    ][1] == ("conditional", ["tool"])


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "import pytest\n@pytest.fixture\ndef a(request):\n    return request.getfixturevalue('b')\n",
            (("b",), ()),
            id="literal",
        ),
        pytest.param(
            "import pytest\n@pytest.fixture\ndef a(request):\n    return request.getfixturevalue(request.param)\n",
            ((), ("request.param",)),
            id="dynamic",
        ),
        pytest.param(
            "import pytest\n@pytest.fixture\n@pytest.mark.usefixtures('c')\ndef a(): pass\n",
            (("c",), ()),
            id="usefixtures",
        ),
    ],
)
def test_requests(src: str, expected: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
    assert (only_fixture(src).requests, only_fixture(src).dynamic_requests) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param("import os\ndef f():\n    return os.sep\n", ("os",), id="body"),
        pytest.param(
            "X = 1\ndef f():\n    def g():\n        return X\n    return g\n",
            ("X",),
            id="nested-function",
        ),
        pytest.param("X = 1\ndef f(a=X): pass\n", ("X",), id="default-argument"),
        pytest.param(
            "import functools\n@functools.cache\ndef f(): pass\n",
            ("functools",),
            id="decorator",
        ),
        pytest.param(
            "def f():\n    return later()\ndef later(): pass\n",
            ("later",),
            id="forward-reference",
        ),
    ],
)
def test_uses(src: str, expected: tuple[str, ...]) -> None:
    assert parse(src).definitions[-1 if "later" not in src else 0].uses == expected


def test_type_checking_import_used_only_in_annotations() -> None:
    model = parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pathlib import Path\ndef f(p: 'Path') -> None: pass\n"
    )
    assert (
        model.definitions[2].annotation_uses,
        model.definitions[1].imports[0].runtime,
    ) == (("Path",), False)


def test_deferred_import_inside_fixture() -> None:
    assert [
        (i.name, i.deferred)
        for i in parse("def f():\n    import json\n").definitions[0].imports
    ] == [("json", True)]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "import pytest\ndef make(i):\n    def f(): return i\n    return f\nfor n in ('a', 'b'):\n    globals()['fx_' + n] = pytest.fixture(make(n))\n",
            ["fx_a", "fx_b"],
            id="globals-loop",
        ),
        pytest.param(
            "import pytest\nV = {'x': 1}\ndef make(i):\n    def f(): return i\n    return f\nfor k, v in V.items():\n    globals()[f'd_{k}'] = pytest.fixture(make(v))\n",
            ["d_x"],
            id="dict-items-fstring",
        ),
        pytest.param(
            "import pytest, sys\ndef f(): pass\nsetattr(sys.modules[__name__], 'late', pytest.fixture(f))\n",
            ["late"],
            id="setattr",
        ),
        pytest.param(
            "import pytest\nexec('@pytest.fixture\\ndef made(): pass\\n')\n",
            ["made"],
            id="exec",
        ),
    ],
)
def test_unmovable_statements_still_name_their_fixtures(
    src: str, expected: list[str]
) -> None:
    assert [(f.name) for f in parse(src).fixtures] == expected


def test_spans_include_decorators() -> None:
    span = (
        parse("import pytest\n\n@pytest.fixture\ndef a():\n    pass\n")
        .definitions[1]
        .span
    )
    assert (span.start_line, span.end_line) == (3, 5)


def test_source_keeps_leading_comments() -> None:
    assert (
        parse("X = 1\n# about Y\nY = 2\n").definitions[1].source == "# about Y\nY = 2\n"
    )


def test_syntax_error_names_line_and_column() -> None:
    with pytest.raises(UserError, match=r"conftest.py:2:\d+: syntax error"):
        parse_conftest("x = 1\ndef (:\n", "conftest.py")


def test_duplicate_fixture_names_warn() -> None:
    assert (
        "defined at line 2 and again at line 4"
        in parse(
            "import pytest\n@pytest.fixture\ndef a(): pass\n@pytest.fixture(name='a')\ndef b(): pass\n"
        ).warnings[0]
    )


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            "import pytest\n@pytest.fixture\ndef db(): pass\ndatabase = db\n",
            ["db", "database"],
            id="alias-of-decorated",
        ),
        pytest.param(
            "import pytest\n@pytest.fixture(name='db')\ndef _db(): pass\nother = _db\n",
            ["db", "db"],
            id="alias-keeps-marker-name",
        ),
        pytest.param(
            "import pytest\ndef f(): pass\na = b = pytest.fixture(f)\n",
            ["a", "b"],
            id="chained-assignment",
        ),
        pytest.param(
            "import pytest\ndef f(): pass\nX = f\n", [], id="alias-of-plain-function"
        ),
    ],
)
def test_second_bindings_register_again(src: str, expected: list[str]) -> None:
    assert [f.name for f in parse(src).fixtures] == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param("x = os.path.join(a)\n", {"os", "os.path", "os.path.join", "a"}, id="chain-prefixes"),
        pytest.param("import os.path\nfrom a import b\n", set(), id="imports-read-nothing"),
        pytest.param("x = a.b\ny = c\n", {"a", "a.b", "c"}, id="attribute-tail-is-not-a-name"),
        pytest.param("x = f().tail\n", {"f", "tail"}, id="tail-of-a-call-result-kept"),
        pytest.param(
            "def g(p: np.ndarray) -> None:\n    return p\n", {"np", "np.ndarray", "p", "None"}, id="annotations"
        ),
    ],
)
def test_reads(src: str, expected: set[str]) -> None:
    assert set().union(*(d.reads for d in parse(src).definitions)) - {"x", "y", "g"} == expected  # minus targets


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("    yield 1\n", "generator", id="yield"),
        pytest.param("    x = yield\n    return x\n", "generator", id="yield-expression"),
        pytest.param("    def inner():\n        yield\n    return inner\n", "plain", id="nested-def"),
        pytest.param("    return lambda: (yield)\n", "plain", id="lambda"),
        pytest.param("    class C:\n        def m(self):\n            yield\n    return C\n", "plain", id="method"),
    ],
)
def test_generator_fixtures(body: str, expected: str) -> None:
    assert only_fixture(f"import pytest\n@pytest.fixture\ndef a():\n{body}").kind.value == expected
