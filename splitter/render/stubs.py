"""Lazy fixture stubs: a fixture registered in the conftest under its exact
signature, whose body imports the implementation module only at setup time.

DESIGN.md ("The lazy loader") records why stubs, and not ``pytest_plugins`` or
star imports, keep the fixture API: the stub *is* a conftest fixture, so its
visibility, override order and autouse reach are the original's; the decorator
is copied verbatim, so scope, params, ids, autouse and ``name=`` are too.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from splitter.model import Definition, Fixture, FixtureKind, Scope


@dataclass(frozen=True)
class StubSpec:
    """What a stub needs from the original fixture function."""

    function_name: str
    decorators: tuple[str, ...]  # verbatim decorator expressions, outermost first
    positional: tuple[str, ...]  # parameters pytest passes positionally
    keyword_only: tuple[str, ...]
    kind: FixtureKind
    docstring: str | None  # the docstring literal exactly as written, quotes included


def stub_spec(function: cst.FunctionDef, kind: FixtureKind) -> StubSpec:
    """Read the parts of a decorated fixture function that its stub copies.

    Parameters with defaults are left out: pytest never requests them, so the
    implementation keeps using its own default.
    """
    params = function.params
    positional = tuple(
        p.name.value for p in (*params.posonly_params, *params.params) if p.default is None
    )
    keyword_only = tuple(p.name.value for p in params.kwonly_params if p.default is None)
    decorators = tuple(cst.Module([]).code_for_node(d.decorator) for d in function.decorators)
    return StubSpec(
        function_name=function.name.value,
        decorators=decorators,
        positional=positional,
        keyword_only=keyword_only,
        kind=kind,
        docstring=_docstring_literal(function),
    )


def star_stub_spec(fixture: Fixture, function: cst.FunctionDef) -> StubSpec:
    """The stub of a fixture a star import brings in (docs/LAZY_UNITS.md).

    Its decorator lives in the star-imported module and may read that module's
    names, so the stub spells out what pytest registers instead: the scope, literal
    params and ids, and the ``name=`` under which the conftest registered it.
    """
    arguments = []
    if fixture.scope is not Scope.FUNCTION:
        arguments.append(f'scope="{fixture.scope.value}"')
    if fixture.params_source is not None:
        arguments.append(f"params={fixture.params_source}")
    if fixture.ids_source is not None:
        arguments.append(f"ids={fixture.ids_source}")
    if fixture.name != fixture.function_name:
        arguments.append(f'name="{fixture.name}"')
    decorator = f"pytest.fixture({', '.join(arguments)})" if arguments else "pytest.fixture"
    spec = stub_spec(function, fixture.kind)
    return StubSpec(
        function_name=fixture.function_name,
        decorators=(decorator,),
        positional=spec.positional,
        keyword_only=spec.keyword_only,
        kind=fixture.kind,
        docstring=spec.docstring,
    )


def definition_stubs(d: Definition) -> tuple[tuple[str, StubSpec], ...]:
    """(function name, stub) of each fixture a lazily loaded definition registers:
    its own ``def``, or every fixture of a star import."""
    if d.star is not None:
        found = []
        for imported in d.fixtures:
            definition = d.star.function(imported.function_name)
            assert definition is not None, f"no def for {imported.function_name}"
            found.append((imported.function_name, star_stub_spec(imported, definition)))
        return tuple(found)
    function, fixture = d.statement, d.fixture
    assert isinstance(function, cst.FunctionDef) and fixture is not None
    return ((fixture.function_name, stub_spec(function, fixture.kind)),)


def _docstring_literal(function: cst.FunctionDef) -> str | None:
    body = function.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return None
    first = body.body[0]
    if not isinstance(first, cst.SimpleStatementLine) or len(first.body) != 1:
        return None
    expr = first.body[0]
    if isinstance(expr, cst.Expr) and isinstance(expr.value, (cst.SimpleString, cst.ConcatenatedString)):
        return cst.Module([]).code_for_node(expr.value)
    return None


def render_stub(spec: StubSpec) -> str:
    """The source of one stub: same decorators, parameters, kind and docstring."""
    params = ", ".join((*spec.positional, *(("*",) if spec.keyword_only else ()), *spec.keyword_only))
    args = ", ".join((*spec.positional, *(f"{k}={k}" for k in spec.keyword_only)))
    call = f'_implementation("{spec.function_name}")({args})'
    is_async = spec.kind in (FixtureKind.ASYNC, FixtureKind.ASYNC_GENERATOR)
    lines = [f"@{decorator}" for decorator in spec.decorators]
    lines.append(f"{'async ' if is_async else ''}def {spec.function_name}({params}):")
    if spec.docstring is not None:
        lines.append(f"    {spec.docstring}")
    lines.extend(_body(spec.kind, call))
    return "\n".join(lines) + "\n"


def _body(kind: FixtureKind, call: str) -> list[str]:
    if kind is FixtureKind.GENERATOR:
        return [f"    yield from {call}"]
    if kind is FixtureKind.ASYNC:
        return [f"    return await {call}"]
    if kind is FixtureKind.ASYNC_GENERATOR:
        return [f"    async for value in {call}:", "        yield value"]
    return [f"    return {call}"]
