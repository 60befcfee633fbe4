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

from splitter.model import FixtureKind


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
