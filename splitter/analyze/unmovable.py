"""Fixtures that UNMOVABLE statements register, when a little evaluation can tell.

``for k, v in VALUES.items(): globals()["dyn_" + k] = pytest.fixture(...)(make(v))``,
``setattr(sys.modules[__name__], "late", pytest.fixture(fn))`` and
``exec(dedent('''@pytest.fixture ...'''), globals())`` cannot be moved, but the
fixtures they register can still be named: the loop runs over literals, the
attribute name is a literal, the executed source is a literal. Only literals,
module-level literal constants, loop variables, f-strings and concatenation
are evaluated — nothing is ever run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from textwrap import dedent
from typing import Protocol

import libcst as cst

from splitter.analyze.gather import literal_string
from splitter.model import Fixture

Environment = Mapping[str, object]


@dataclass(frozen=True)
class LiteralDict:
    """A dict literal, evaluated: its (key, value) pairs in order."""

    pairs: tuple[tuple[object, object], ...]


Reparse = Callable[[str], tuple[Fixture, ...]]
UNKNOWN = object()


class Recognizer(Protocol):
    """The part of :class:`splitter.analyze.recognize.FixtureRecognizer` this module needs."""

    constants: dict[str, cst.BaseExpression]

    def from_binding(
        self, target: str, value: cst.BaseExpression
    ) -> Fixture | None: ...


def fixtures_from_unmovable(
    statement: cst.CSTNode, recognizer: Recognizer, reparse: Reparse
) -> tuple[Fixture, ...]:
    """Fixtures an unmovable statement registers, each name once, if they can be computed."""
    found: dict[str, Fixture] = {}
    for fixture in registered(statement, recognizer, reparse):
        found.setdefault(fixture.name, fixture)
    return tuple(found.values())


def registered(
    statement: cst.CSTNode, recognizer: Recognizer, reparse: Reparse
) -> Iterator[Fixture]:
    if isinstance(statement, cst.For) and isinstance(statement.body, cst.IndentedBlock):
        values = evaluate(statement.iter, {}, recognizer.constants)
        for value in values if isinstance(values, tuple) else ():
            environment = dict(bind(statement.target, value))
            for line in statement.body.body:
                yield from from_line(line, environment, recognizer, reparse)
    else:
        yield from from_line(statement, {}, recognizer, reparse)


def from_line(
    line: cst.CSTNode,
    environment: Environment,
    recognizer: Recognizer,
    reparse: Reparse,
) -> Iterator[Fixture]:
    """Fixtures one simple statement line writes into the module."""
    if not isinstance(line, cst.SimpleStatementLine):
        return
    for small in line.body:
        for key, value in module_writes(small, environment, recognizer):
            fixture = recognizer.from_binding(key, value)
            if fixture is not None:
                yield fixture
        if isinstance(small, cst.Expr):
            yield from executed(small.value, recognizer, reparse)


def module_writes(
    small: cst.BaseSmallStatement, environment: Environment, recognizer: Recognizer
) -> Iterator[tuple[str, cst.BaseExpression]]:
    """``globals()[KEY] = VALUE`` and ``setattr(module, KEY, VALUE)`` with KEY evaluated."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Subscript) and is_call_to(target.value, "globals"):
            index = target.slice[0].slice
            if isinstance(index, cst.Index):
                key = evaluate(index.value, environment, recognizer.constants)
                if isinstance(key, str):
                    yield key, small.value
    if isinstance(small, cst.Expr) and is_call_to(small.value, "setattr"):
        assert isinstance(small.value, cst.Call)
        args = small.value.args
        if len(args) == 3:
            key = evaluate(args[1].value, environment, recognizer.constants)
            if isinstance(key, str):
                yield key, args[2].value


def executed(
    expr: cst.BaseExpression, recognizer: Recognizer, reparse: Reparse
) -> Iterator[Fixture]:
    """Fixtures defined by ``exec(<literal source>)``."""
    if is_call_to(expr, "exec"):
        assert isinstance(expr, cst.Call)
        source = (
            evaluate(expr.args[0].value, {}, recognizer.constants)
            if expr.args
            else None
        )
        if isinstance(source, str):
            yield from reparse(source)


def is_call_to(node: cst.BaseExpression, name: str) -> bool:
    """A call of the builtin ``name`` written as such."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == name
    )


def bind(target: cst.BaseExpression, value: object) -> Iterator[tuple[str, object]]:
    """Loop-target names bound to one iteration's value."""
    if isinstance(target, cst.Name):
        yield target.value, value
    elif isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, tuple):
        for element, item in zip(target.elements, value):
            yield from bind(element.value, item)


def evaluate(
    expr: cst.BaseExpression,
    environment: Environment,
    constants: Mapping[str, cst.BaseExpression],
) -> object:
    """The value of a literal expression over loop variables and constants, or UNKNOWN."""
    text = literal_string(expr)
    if text is not None:
        return text
    if isinstance(expr, cst.Integer):
        return int(expr.value, 0)
    if isinstance(expr, cst.Name):
        if expr.value in environment:
            return environment[expr.value]
        constant = constants.get(expr.value)
        return UNKNOWN if constant is None else evaluate(constant, {}, {})
    if isinstance(expr, (cst.Tuple, cst.List)):
        items = tuple(evaluate(e.value, environment, constants) for e in expr.elements)
        return UNKNOWN if UNKNOWN in items else items
    if isinstance(expr, cst.Dict):
        return evaluate_dict(expr, environment, constants)
    if isinstance(expr, cst.FormattedString):
        return evaluate_fstring(expr, environment, constants)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        left = evaluate(expr.left, environment, constants)
        right = evaluate(expr.right, environment, constants)
        return (
            left + right
            if isinstance(left, str) and isinstance(right, str)
            else UNKNOWN
        )
    if isinstance(expr, cst.Call):
        return evaluate_call(expr, environment, constants)
    return UNKNOWN


def evaluate_dict(
    expr: cst.Dict,
    environment: Environment,
    constants: Mapping[str, cst.BaseExpression],
) -> object:
    """A dict literal as a tuple of (key, value) pairs."""
    pairs: list[tuple[object, object]] = []
    for element in expr.elements:
        if not isinstance(element, cst.DictElement):
            return UNKNOWN
        pair = (
            evaluate(element.key, environment, constants),
            evaluate(element.value, environment, constants),
        )
        if UNKNOWN in pair:
            return UNKNOWN
        pairs.append(pair)
    return LiteralDict(tuple(pairs))


def evaluate_call(
    expr: cst.Call,
    environment: Environment,
    constants: Mapping[str, cst.BaseExpression],
) -> object:
    """``d.items()``/``keys()``/``values()`` of a literal dict and ``dedent("...")``."""
    if isinstance(expr.func, cst.Attribute) and not expr.args:
        target = evaluate(expr.func.value, environment, constants)
        if isinstance(target, LiteralDict):
            pairs = target.pairs
            method = expr.func.attr.value
            if method == "items":
                return pairs
            if method in ("keys", "values"):
                return tuple(p[0 if method == "keys" else 1] for p in pairs)
    name = (
        expr.func.attr.value
        if isinstance(expr.func, cst.Attribute)
        else getattr(expr.func, "value", "")
    )
    if name == "dedent" and len(expr.args) == 1:
        text = evaluate(expr.args[0].value, environment, constants)
        return dedent(text) if isinstance(text, str) else UNKNOWN
    return UNKNOWN


def evaluate_fstring(
    expr: cst.FormattedString,
    environment: Environment,
    constants: Mapping[str, cst.BaseExpression],
) -> object:
    """An f-string whose fields are known values without format specs or conversions."""
    parts: list[str] = []
    for part in expr.parts:
        if isinstance(part, cst.FormattedStringText):
            parts.append(part.value)
            continue
        if not isinstance(part, cst.FormattedStringExpression):
            return UNKNOWN
        if part.format_spec is not None or part.conversion is not None:
            return UNKNOWN
        value = evaluate(part.expression, environment, constants)
        if not isinstance(value, (str, int)):
            return UNKNOWN
        parts.append(str(value))
    return "".join(parts)
