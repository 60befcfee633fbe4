"""Whether the fixtures a star import brings in can be registered through lazy stubs.

``from tests.fixtures.db import *`` runs the whole module while pytest collects.
Its fixtures can load lazily instead (docs/LAZY_UNITS.md, "Star-imported fixture
modules") only when a stub in the conftest can say everything pytest reads from
them, and when running the module later changes nothing else. This module says
why not, in one sentence, from the star-imported module's parsed model alone.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import libcst as cst

from splitter.model import ConftestModel, Fixture, FixtureKind, Kind, Scope

# Module attributes pytest reads from a conftest: a star import that binds one changes the conftest.
PYTEST_READS = frozenset({"pytest_plugins", "collect_ignore", "collect_ignore_glob", "pytestmark"})
LITERAL_NAMES = frozenset({"True", "False", "None"})
# A block (`if`/`try`/`with`/`for`) may change process state too: the conservative reading.
RUNS_AT_IMPORT = (Kind.SIDE_EFFECT, Kind.UNMOVABLE, Kind.CONDITIONAL)


def star_blocker(
    module: str, model: ConftestModel, names: Sequence[str], fixtures: Sequence[Fixture], defined: Collection[str]
) -> str | None:
    """Why the fixtures ``from module import *`` binds cannot become lazy stubs; None when they can.

    ``names`` is what the import binds, ``fixtures`` the fixtures among them and
    ``defined`` the names bound to a decorated ``def`` of ``module`` itself.
    """
    hooks = {n for d in model.definitions if d.kind is Kind.HOOK for n in d.names}
    for name in names:
        if name in PYTEST_READS or name in hooks:
            return f"{module} binds {name}, which pytest reads from the conftest"
    for d in model.definitions:
        if d.kind in RUNS_AT_IMPORT:
            return f"{module} runs code at import (line {d.span.start_line}): it keeps its place"
    if not fixtures:
        return f"{module} defines no fixture"
    aliases = _aliases(model, names)
    if aliases:
        return f"{module} binds {aliases[0]}, a second name of one of its fixtures"
    for fixture in fixtures:
        problem = _fixture_problem(fixture, fixture.function_name in defined)
        if problem is not None:
            return f"its fixture {fixture.name!r} {problem}"
    return None


def _aliases(model: ConftestModel, names: Sequence[str]) -> list[str]:
    """Exported names bound to a fixture of the module by ``other = fixture``: pytest registers
    the object under that name too, and no stub can repeat that."""
    fixtures = {f.function_name for d in model.definitions for f in d.fixtures}
    found = []
    for d in model.definitions:
        statement = d.statement
        if not set(d.names) & set(names) or not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and isinstance(small.value, cst.Name) and small.value.value in fixtures:
                found += [n for n in d.names if n in names]
    return found


def _fixture_problem(fixture: Fixture, decorated_def: bool) -> str | None:
    """What keeps one star-imported fixture from a stub the conftest can spell out."""
    if not decorated_def or fixture.inner_decorators or not fixture.signature_known:
        return "is not a decorated function of the module (its signature is not visible)"
    if fixture.autouse:
        return "is autouse: pytest sets it up for every test, so its module loads anyway"
    if fixture.provider != "pytest.fixture":
        return f"is made by {fixture.provider}, not pytest.fixture"
    if fixture.kind in (FixtureKind.ASYNC, FixtureKind.ASYNC_GENERATOR):
        return "is async"
    if fixture.scope is Scope.DYNAMIC:
        return "has a computed scope"
    for keyword, source in (("params", fixture.params_source), ("ids", fixture.ids_source)):
        if source is not None and not is_literal(source):
            return f"has {keyword}={source}, which only its module can compute"
    return None


class _NonLiteral(cst.CSTVisitor):
    """Finds anything but literals, containers of them, and unary minus."""

    ALLOWED = (
        cst.SimpleString,
        cst.ConcatenatedString,
        cst.Integer,
        cst.Float,
        cst.Imaginary,
        cst.List,
        cst.Tuple,
        cst.Set,
        cst.Dict,
        cst.Element,
        cst.DictElement,
        cst.UnaryOperation,
        cst.Minus,
        cst.Comma,
        cst.Colon,
        cst.LeftSquareBracket,
        cst.RightSquareBracket,
        cst.LeftCurlyBrace,
        cst.RightCurlyBrace,
        cst.LeftParen,
        cst.RightParen,
        cst.MaybeSentinel,
        cst.ParenthesizedWhitespace,
        cst.SimpleWhitespace,
        cst.TrailingWhitespace,
        cst.EmptyLine,
        cst.Newline,
        cst.Comment,
    )

    def __init__(self) -> None:
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Name):
            self.found |= node.value not in LITERAL_NAMES
        elif not isinstance(node, self.ALLOWED):
            self.found = True
        return not self.found


def is_literal(source: str) -> bool:
    """Whether an expression is a literal (numbers, strings, True/False/None, containers of them)."""
    try:
        expression = cst.parse_expression(source)
    except cst.ParserSyntaxError:
        return False
    visitor = _NonLiteral()
    expression.visit(visitor)
    return not visitor.found
