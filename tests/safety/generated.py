"""Random but valid conftests, and a test file that checks what their fixtures give (hypothesis).

A :class:`Suite` is drawn as data, then rendered to source: constants, helpers
(some calling others), a class, a shared registry, a module-level side effect,
hooks, and fixtures with random scopes, params/ids, autouse, ``name=`` aliases,
return/yield/finalizer styles and acyclic dependencies that respect pytest's
scope rules. Some fixtures are mock-based and some look heavy (a ``subprocess``
call behind a constant that is always false), so the split has eager and lazy
modules. Every fixture returns ``(name, param, helper value, dependency values)``;
the tests assert all of it, the registry and the side effect, so a split that
changes what a test sees fails the full run.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

SCOPES = ("function", "class", "module", "package", "session")
STYLES = ("return", "yield", "finalizer")
FLAVORS = ("plain", "plain", "mock", "heavy")


@dataclass(frozen=True)
class Helper:
    """``def helper_i(): return CONST_c * factor [+ helper_j()]``."""

    index: int
    constant: int
    factor: int
    calls: int | None  # an earlier helper

    def value(self, constants: tuple[int, ...], helpers: tuple[Helper, ...]) -> int:
        inner = helpers[self.calls].value(constants, helpers) if self.calls is not None else 0
        return constants[self.constant] * self.factor + inner


@dataclass(frozen=True)
class Fixture:
    index: int
    scope: str
    params: tuple[int, ...] | None
    ids: bool
    autouse: bool
    alias: bool  # registered with name= under a name other than its function's
    style: str
    flavor: str
    helper: int | None
    boxed: bool  # goes through the Box class
    registers: bool  # writes to the shared REGISTRY
    deps: tuple[int, ...]

    @property
    def name(self) -> str:
        return f"{'fake' if self.flavor == 'mock' else 'fx'}_{self.index}"


@dataclass(frozen=True)
class Test:
    index: int
    requests: tuple[int, ...]
    in_class: bool
    marked: bool


@dataclass(frozen=True)
class Suite:
    constants: tuple[int, ...]
    helpers: tuple[Helper, ...]
    fixtures: tuple[Fixture, ...]
    tests: tuple[Test, ...]
    side_effect: bool
    hooks: bool
    imports_from_conftest: bool

    def helper_value(self, fixture: Fixture) -> int | None:
        if fixture.helper is None:
            return None
        return self.helpers[fixture.helper].value(self.constants, self.helpers)


@st.composite
def helpers(draw: st.DrawFn, constants: int) -> tuple[Helper, ...]:
    count = draw(st.integers(0, 3))
    return tuple(
        Helper(
            i,
            draw(st.integers(0, constants - 1)),
            draw(st.integers(1, 5)),
            draw(st.none() | st.integers(0, i - 1)) if i else None,
        )
        for i in range(count)
    )


@st.composite
def fixtures(draw: st.DrawFn, helper_count: int) -> tuple[Fixture, ...]:
    count = draw(st.integers(1, 7))
    made: list[Fixture] = []
    parametrized = 0
    for i in range(count):
        scope = draw(st.sampled_from(SCOPES))
        rank = SCOPES.index(scope)
        allowed = [f.index for f in made if SCOPES.index(f.scope) >= rank]
        deps = tuple(sorted(draw(st.sets(st.sampled_from(allowed), max_size=min(3, len(allowed)))))) if allowed else ()
        params = None
        if parametrized < 3 and draw(st.booleans()):
            params = tuple(draw(st.lists(st.integers(0, 9), min_size=1, max_size=3, unique=True)))
            parametrized += 1
        made.append(
            Fixture(
                index=i,
                scope=scope,
                params=params,
                ids=params is not None and draw(st.booleans()),
                autouse=draw(st.integers(0, 4)) == 0,
                alias=draw(st.integers(0, 4)) == 0,
                style=draw(st.sampled_from(STYLES)),
                flavor=draw(st.sampled_from(FLAVORS)),
                helper=draw(st.none() | st.integers(0, helper_count - 1)) if helper_count else None,
                boxed=draw(st.booleans()),
                registers=draw(st.booleans()),
                deps=deps,
            )
        )
    return tuple(made)


@st.composite
def suites(draw: st.DrawFn) -> Suite:
    """A random suite: the conftest's definitions and the tests that request them."""
    constants = tuple(draw(st.lists(st.integers(-50, 50), min_size=1, max_size=3)))
    helper_defs = draw(helpers(len(constants)))
    fixture_defs = draw(fixtures(len(helper_defs)))
    indexes = st.sets(st.sampled_from([f.index for f in fixture_defs]), max_size=min(4, len(fixture_defs)))
    tests = tuple(
        Test(i, tuple(sorted(draw(indexes))), draw(st.booleans()), draw(st.booleans()))
        for i in range(draw(st.integers(1, 4)))
    )
    return Suite(
        constants, helper_defs, fixture_defs, tests, draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    )


def render_conftest(suite: Suite) -> str:
    """The conftest.py of a suite."""
    lines = [
        '"""A generated conftest."""',
        "import os",
        "import subprocess",
        "from unittest import mock",
        "",
        "import pytest",
        "",
        "_NEVER = False  # the heavy-looking fixtures never start their subprocess",
        "REGISTRY = {}",
        "EVENTS = []",
    ]
    lines += [f"CONST_{i} = {value}" for i, value in enumerate(suite.constants)]
    if suite.side_effect:
        lines += ["", 'os.environ["GENERATED_SIDE_EFFECT"] = "on"']
    lines += ["", "", "class Box:", "    def __init__(self, value):", "        self.value = value", ""]
    for helper in suite.helpers:
        inner = f" + helper_{helper.calls}()" if helper.calls is not None else ""
        result = f"CONST_{helper.constant} * {helper.factor}{inner}"
        lines += ["", f"def helper_{helper.index}():", f"    return {result}", ""]
    if suite.hooks:
        lines += [
            "",
            "def pytest_configure(config):",
            '    config.addinivalue_line("markers", "generated: a generated test")',
            "",
            "",
            "def pytest_report_header(config):",
            '    return "generated suite"',
            "",
        ]
    for fixture in suite.fixtures:
        lines += ["", *_render_fixture(suite, fixture)]
    return "\n".join(lines) + "\n"


def _render_fixture(suite: Suite, fixture: Fixture) -> list[str]:
    options = []
    if fixture.scope != "function":
        options.append(f'scope="{fixture.scope}"')
    if fixture.params is not None:
        options.append(f"params={list(fixture.params)}")
        if fixture.ids:
            options.append(f"ids={[f'v{p}' for p in fixture.params]}")
    if fixture.autouse:
        options.append("autouse=True")
    if fixture.alias:
        options.append(f'name="{fixture.name}"')
    decorator = f"@pytest.fixture({', '.join(options)})" if options else "@pytest.fixture"
    function = f"_make_{fixture.name}" if fixture.alias else fixture.name
    needs_request = fixture.params is not None or fixture.style == "finalizer"
    arguments = (["request"] if needs_request else []) + [_name(suite, d) for d in fixture.deps]
    param = "request.param" if fixture.params is not None else "None"
    helper = f"helper_{fixture.helper}()" if fixture.helper is not None else "None"
    if fixture.boxed:
        helper = f"Box({helper}).value"
    deps = "".join(f"{_name(suite, d)}, " for d in fixture.deps)
    body = [f'    value = ("{fixture.name}", {param}, {helper}, ({deps}))']
    if fixture.flavor == "mock":
        body += ["    double = mock.MagicMock()", "    double.read.return_value = value", "    value = double.read()"]
    if fixture.flavor == "heavy":
        body += ["    if _NEVER:", '        subprocess.Popen(["true"])']
    if fixture.registers:
        body += [f'    REGISTRY["{fixture.name}"] = value']
    if fixture.style == "yield":
        body += ["    yield value", f'    EVENTS.append("teardown {fixture.name}")']
    elif fixture.style == "finalizer":
        body += [f'    request.addfinalizer(lambda: EVENTS.append("finalize {fixture.name}"))', "    return value"]
    else:
        body += ["    return value"]
    return [decorator, f"def {function}({', '.join(arguments)}):", *body, ""]


def _name(suite: Suite, index: int) -> str:
    return suite.fixtures[index].name


def render_tests(suite: Suite, package: str | None) -> str:
    """The test module: each test asserts every value its fixtures give, and the shared state."""
    conftest = f"{package}.conftest" if package else "conftest"
    lines = ["import os", "", "import pytest", ""]
    if suite.imports_from_conftest:
        lines += [f"from {conftest} import CONST_0, REGISTRY", ""]
    lines += [
        "",
        "def check(value, name, params, helper, deps):",
        "    assert value[0] == name",
        "    assert value[1] in params",
        "    assert value[2] == helper",
        "    assert len(value[3]) == len(deps)",
        "    for got, (dep_name, dep_params, dep_helper, dep_deps) in zip(value[3], deps):",
        "        check(got, dep_name, dep_params, dep_helper, dep_deps)",
        "",
    ]
    for test in suite.tests:
        lines += ["", *_render_test(suite, test)]
    return "\n".join(lines) + "\n"


def _expected(suite: Suite, index: int) -> str:
    fixture = suite.fixtures[index]
    params = tuple(fixture.params) if fixture.params is not None else (None,)
    deps = ", ".join(_expected(suite, d) for d in fixture.deps)
    return f'("{fixture.name}", {params!r}, {suite.helper_value(fixture)!r}, ({deps}{"," if fixture.deps else ""}))'


def _render_test(suite: Suite, test: Test) -> list[str]:
    names = [_name(suite, i) for i in test.requests]
    indent = "    " if test.in_class else ""
    lines = [f"class TestGroup{test.index}:", ""] if test.in_class else []
    if test.marked and suite.hooks:
        lines.append(f"{indent}@pytest.mark.generated")
    arguments = (["self"] if test.in_class else []) + names
    lines.append(f"{indent}def test_{test.index}({', '.join(arguments)}):")
    for index, name in zip(test.requests, names):
        lines.append(f"{indent}    check({name}, *{_expected(suite, index)})")
        if suite.fixtures[index].registers and suite.imports_from_conftest:
            lines.append(f'{indent}    assert REGISTRY["{name}"] == {name}')
    if suite.side_effect:
        lines.append(f'{indent}    assert os.environ["GENERATED_SIDE_EFFECT"] == "on"')
    if suite.imports_from_conftest:
        lines.append(f"{indent}    assert CONST_0 == {suite.constants[0]}")
    lines.append(f"{indent}    pass")
    return lines
