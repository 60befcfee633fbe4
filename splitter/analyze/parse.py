"""parse: conftest source → :class:`ConftestModel` (pure, libcst).

Every top-level statement becomes exactly one :class:`Definition` of a known
:class:`Kind`. Anything that ties a statement to the conftest module itself
(star imports, ``globals()``, ``exec``, ``sys.modules[__name__]``) makes it
UNMOVABLE, with the reason.
"""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import MetadataWrapper, QualifiedName, ScopeProvider

from splitter.analyze.classify import Classifier, StatementFacts
from splitter.errors import UserError
from splitter.analyze.gather import (
    GatherCalls,
    GatherGenerators,
    GatherImports,
    GatherReads,
    GatherRequests,
    GatherUnmovable,
    global_scope,
)
from splitter.model import ConftestModel, Definition, Fixture
from splitter.analyze.references import StatementIndex, gather_names


def parse_conftest(source: str, path: str = "conftest.py", module: cst.Module | None = None) -> ConftestModel:
    """Classify every top-level statement of a conftest; a syntax error is a UserError.

    ``module`` is ``source``'s libcst tree when the caller has parsed it already.
    """
    module = module if module is not None else parse_module(source, path)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = wrapper.resolve(ScopeProvider)
    index = StatementIndex(module)
    facts, generators = gather_facts(wrapper, index)
    names = gather_names(module, global_scope(scopes, module), scopes, index)
    classifier = Classifier(wrapper, index, generators, executed_fixtures)
    definitions = tuple(
        classifier.definition(i, statement, names[i], facts[i])
        for i, statement in enumerate(module.body)
    )
    return ConftestModel(
        path=path,
        source=source,
        definitions=definitions,
        warnings=warnings(definitions),
        header="".join(module.code_for_node(line) for line in module.header),
    )


def gather_facts(
    wrapper: MetadataWrapper, index: StatementIndex
) -> tuple[list[StatementFacts], set[cst.FunctionDef]]:
    """Run every Gather visitor in one traversal and sort their facts by statement.

    The same traversal attributes every node to its statement (``index.enter``)
    and finds the generator functions.
    """
    known: dict[cst.CSTNode, set[QualifiedName]] = {}
    requests, imports, calls, unmovable, reads, generators = (
        GatherRequests(known),
        GatherImports(known),
        GatherCalls(known),
        GatherUnmovable(known),
        GatherReads(),
        GatherGenerators(),
    )
    wrapper.visit_batched(
        [requests, imports, calls, unmovable, reads, generators], before_visit=index.enter
    )
    facts = [StatementFacts() for _ in wrapper.module.body]

    def owner(node: cst.CSTNode) -> StatementFacts:
        return facts[index.of(node) or 0]

    for node, name in requests.requests:
        owner(node).requests.append((index.line(node), name))
    for node, expression in requests.dynamic:
        owner(node).dynamic.append((index.line(node), expression))
    for node, imported in imports.imports:
        owner(node).imports.append(imported)
    for node, called in calls.calls:
        owner(node).calls.add(called)
    for node, reason in unmovable.reasons:
        owner(node).unmovable.append(reason)
    for node, read in reads.reads:
        owner(node).reads.add(read)
    return facts, generators.generators


def parse_module(source: str, path: str) -> cst.Module:
    """libcst's parse; a syntax error becomes one sentence with line and column.

    Python's own compiler names the position best, so it words the error
    whenever it agrees the source is invalid.
    """
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        line, column, message = (
            exc.raw_line,
            exc.raw_column + 1,
            exc.message.splitlines()[0],
        )
        try:
            compile(source, path, "exec", ast.PyCF_ONLY_AST)
        except SyntaxError as python_error:
            line, column = python_error.lineno or line, python_error.offset or column
            message = python_error.msg
        raise UserError(f"{path}:{line}:{column}: syntax error: {message}") from exc


def executed_fixtures(source: str) -> tuple[Fixture, ...]:
    """The fixtures a piece of source the conftest ``exec``-utes would define."""
    try:
        return parse_conftest(source).fixtures
    except UserError:
        return ()


def warnings(definitions: tuple[Definition, ...]) -> tuple[str, ...]:
    """Problems worth telling the user about: fixtures registered twice under one name."""
    seen: dict[str, int] = {}
    found: list[str] = []
    for definition in definitions:
        for fixture in definition.fixtures:
            if fixture.name in seen:
                found.append(
                    f"fixture {fixture.name!r} is defined at line {seen[fixture.name]} and again at "
                    f"line {fixture.span.start_line}; pytest keeps one of them"
                )
            seen[fixture.name] = fixture.span.start_line
    return tuple(found)
