"""Fixture objects pytest registers that are not plain decorated ``def``s (issue 13)."""

from __future__ import annotations

from textwrap import dedent

import pytest

from splitter.analyze.parse import parse_conftest

FACTORY = """
import pytest
from elsewhere import build

def _make(v, scope="function", name=None):
    return pytest.fixture(lambda: v, scope=scope, name=name)

def _derived(base):
    return pytest.fixture(scope="module")(lambda request: request.getfixturevalue(base))

def _wrap(function):
    return pytest.fixture(function)

def _nested():
    def inner(tmp_path):
        return tmp_path
    return pytest.fixture(inner)

def _pair(first, second):
    return first, second
"""


def facts(src: str) -> list[tuple[object, ...]]:
    return [
        (f.name, f.function_name, f.scope.value, f.argnames, f.signature_known, f.requests)
        for f in parse_conftest(dedent(src)).fixtures
    ]


@pytest.mark.parametrize(
    ("binding", "expected"),
    [
        pytest.param("answer = _make(42)", ("answer", "<lambda>", "function", (), True, ()), id="lambda-factory"),
        pytest.param("x = _make(1, scope='session', name='one')", ("one", "<lambda>", "session", (), True, ()), id="keywords"),
        pytest.param("d = _derived('answer')", ("d", "<lambda>", "module", ("request",), True, ("answer",)), id="derived"),
        pytest.param("p = _wrap(_pair)", ("p", "_pair", "function", ("first", "second"), True, ()), id="module-function"),
        pytest.param("n = _nested()", ("n", "inner", "function", ("tmp_path",), True, ()), id="nested-def"),
        pytest.param("direct = pytest.fixture(lambda tmp_path: tmp_path)", ("direct", "<lambda>", "function", ("tmp_path",), True, ()), id="direct-lambda"),
        pytest.param("b = pytest.fixture(build)", ("b", "build", "function", (), False, ()), id="imported-function"),
        pytest.param("w = _wrap(build)", ("w", "_wrap(build)", "function", (), False, ()), id="factory-of-imported"),
    ],
)
def test_fixture_objects_bound_at_module_level(binding: str, expected: tuple[object, ...]) -> None:
    assert facts(FACTORY + binding + "\n") == [expected]


@pytest.mark.parametrize(
    ("decorators", "argnames", "known"),
    [
        pytest.param('@mock.patch("os.getcwd", return_value="/")', ("tmp_path",), True, id="patch-injects-one"),
        pytest.param('@mock.patch("os.sep", "|")', ("mocked", "tmp_path"), True, id="patch-with-new"),
        pytest.param('@mock.patch.object(os, "sep", new="|")', ("mocked", "tmp_path"), True, id="object-with-new"),
        pytest.param('@mock.patch.object(os, "sep")\n@mock.patch.dict(os.environ, {})', ("tmp_path",), True, id="object-and-dict"),
        pytest.param("@functools.lru_cache", (), False, id="unknown-wrapper"),
    ],
)
def test_decorators_below_the_fixture_decorator(decorators: str, argnames: tuple[str, ...], known: bool) -> None:
    src = f"import functools, os\nfrom unittest import mock\nimport pytest\n\n@pytest.fixture\n{decorators}\ndef f(mocked, tmp_path):\n    pass\n"
    (fixture,) = parse_conftest(src).fixtures
    assert (fixture.argnames, fixture.signature_known, bool(fixture.inner_decorators)) == (argnames, known, True)
