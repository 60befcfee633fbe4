"""classify: the :class:`Kind` of each top-level statement and the fixtures it registers.

Used by :mod:`splitter.analyze.parse`, which gathers the facts (names, requests,
imports, unmovable constructs) this module turns into a :class:`Definition`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace

import libcst as cst
from libcst.metadata import MetadataWrapper

from splitter.model import Definition, Fixture, FixtureBinding, ImportedModule, Kind
from splitter.analyze.recognize import FixtureRecognizer
from splitter.analyze.references import NameFacts, StatementIndex
from splitter.analyze.unmovable import fixtures_from_unmovable

MODULE_HOOKS = frozenset({"__getattr__", "__dir__"})
CONDITIONAL_BLOCKS = (cst.If, cst.Try, cst.TryStar, cst.With, cst.Match)
LOOPS = (cst.For, cst.While)
Classification = tuple[Kind, tuple[Fixture, ...], str | None]  # kind, fixtures, note


@dataclass
class StatementFacts:
    """What the Gather visitors found in one top-level statement (lines are 1-based)."""

    requests: list[tuple[int, str]] = field(default_factory=list)
    dynamic: list[tuple[int, str]] = field(default_factory=list)
    imports: list[ImportedModule] = field(default_factory=list)
    calls: set[str] = field(default_factory=set)
    unmovable: list[str] = field(default_factory=list)
    reads: set[str] = field(default_factory=set)


class Classifier:
    """Classifies top-level statements of one wrapped module."""

    def __init__(
        self,
        wrapper: MetadataWrapper,
        index: StatementIndex,
        generators: Collection[cst.FunctionDef],
        parse: Callable[[str], tuple[Fixture, ...]],
    ) -> None:
        self.wrapper = wrapper
        self.module = wrapper.module
        self.index = index
        self.recognizer = FixtureRecognizer(wrapper, index, generators)
        self.parse = parse

    def definition(
        self,
        index: int,
        statement: cst.BaseStatement,
        names: NameFacts,
        facts: StatementFacts,
    ) -> Definition:
        """The classified :class:`Definition` of one top-level statement."""
        kind, fixtures, reason = self.classify(index, statement)
        if facts.unmovable:
            kind, reason = Kind.UNMOVABLE, "; ".join(dict.fromkeys(facts.unmovable))
            fixtures = fixtures or self.unmovable_fixtures(statement)
        fixtures = tuple(with_requests(f, facts) for f in fixtures)
        if kind is Kind.CONDITIONAL and facts.imports:
            if not any(i.runtime for i in facts.imports):
                reason = "; ".join(
                    filter(None, ["imports for type checking only", reason])
                )
        return Definition(
            index=index,
            kind=kind,
            names=names.binds,
            source=self.index.codes[index],
            span=self.index.span(statement),
            fixtures=fixtures,
            reason=reason,
            uses=names.uses,
            annotation_uses=names.annotation_uses,
            unresolved=names.unresolved,
            requests=tuple(dict.fromkeys(name for _, name in facts.requests)),
            dynamic_requests=tuple(dict.fromkeys(text for _, text in facts.dynamic)),
            imports=tuple(dict.fromkeys(facts.imports)),
            calls=tuple(sorted(facts.calls)),
            reads=frozenset(facts.reads),
            tree=self.module.with_changes(
                header=(), body=(statement,), footer=(), has_trailing_newline=True
            ),
        )

    def unmovable_fixtures(self, statement: cst.BaseStatement) -> tuple[Fixture, ...]:
        """Fixtures an unmovable statement registers; spans outside it become its own."""
        span = self.index.span(statement)
        inside = range(span.start_line, span.end_line + 1)
        return tuple(
            f if f.span.start_line in inside else replace(f, span=span)
            for f in fixtures_from_unmovable(statement, self.recognizer, self.reparse)
        )

    def reparse(self, executed: str) -> tuple[Fixture, ...]:
        """Fixtures defined by source the conftest executes, with its imports in scope."""
        prelude = [s for s in self.module.body if is_import_line(s)]
        return self.parse(
            "".join(self.module.code_for_node(s) for s in prelude) + executed
        )

    def classify(self, index: int, statement: cst.BaseStatement) -> Classification:
        """The kind of a statement, the fixtures it registers and a note."""
        if isinstance(statement, cst.FunctionDef):
            return self.classify_function(statement)
        if isinstance(statement, cst.ClassDef):
            return Kind.HELPER_CLASS, (), None
        if isinstance(statement, CONDITIONAL_BLOCKS):
            fixtures = self.block_fixtures(statement)
            return Kind.CONDITIONAL, fixtures, conditional_note(statement, fixtures)
        if isinstance(statement, LOOPS):
            return Kind.SIDE_EFFECT, (), "top-level loop"
        assert isinstance(statement, cst.SimpleStatementLine)
        return self.classify_line(index, statement)

    def classify_function(self, function: cst.FunctionDef) -> Classification:
        fixture = self.recognizer.from_function(function)
        name = function.name.value
        if fixture is not None:
            return Kind.FIXTURE, (fixture,), None
        if name in MODULE_HOOKS:
            return (
                Kind.UNMOVABLE,
                (),
                f"module-level {name}() customises the conftest module itself",
            )
        if name.startswith("pytest_"):
            return Kind.HOOK, (), None
        return Kind.HELPER_FUNCTION, (), None

    def classify_line(
        self, index: int, line: cst.SimpleStatementLine
    ) -> Classification:
        """Classify a simple statement line; the most constraining part decides."""
        if index == 0 and is_docstring(line):
            return Kind.DOCSTRING, (), None
        kinds: list[Kind] = []
        fixtures: list[Fixture] = []
        for small in line.body:
            kind, found = self.classify_small(small)
            kinds.append(kind)
            fixtures.extend(found)
        order = (
            Kind.SIDE_EFFECT,
            Kind.FIXTURE,
            Kind.PYTEST_PLUGINS,
            Kind.CONSTANT,
            Kind.IMPORT,
        )
        kind = next(k for k in order if k in kinds)
        reason = side_effect_note(line) if kind is Kind.SIDE_EFFECT else None
        return kind, tuple(fixtures), reason

    def classify_small(
        self, small: cst.BaseSmallStatement
    ) -> tuple[Kind, tuple[Fixture, ...]]:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            return Kind.IMPORT, ()
        targets = assignment_targets(small)
        if targets is None:
            return Kind.SIDE_EFFECT, ()
        if "pytest_plugins" in targets:
            return Kind.PYTEST_PLUGINS, ()
        if isinstance(small, cst.Assign) and all(
            isinstance(t.target, cst.Name) for t in small.targets
        ):
            found = [self.recognizer.from_binding(t, small.value) for t in targets]
            fixtures = tuple(f for f in found if f is not None)
            if fixtures:
                return Kind.FIXTURE, fixtures
        return Kind.CONSTANT, ()

    def block_fixtures(self, block: cst.CSTNode) -> tuple[Fixture, ...]:
        """Fixtures defined anywhere in a conditional block, each name once."""
        found: dict[str, Fixture] = {}
        for node in block_statements(block):
            fixture = None
            if isinstance(node, cst.FunctionDef):
                fixture = self.recognizer.from_function(node)
            elif isinstance(node, cst.Assign) and len(node.targets) == 1:
                target = node.targets[0].target
                if isinstance(target, cst.Name):
                    fixture = self.recognizer.from_binding(target.value, node.value)
            if fixture is not None:
                found.setdefault(fixture.name, fixture)
        return tuple(found.values())


def with_requests(fixture: Fixture, facts: StatementFacts) -> Fixture:
    """A decorated fixture with the literal and dynamic requests made inside its ``def``.

    Bound-call fixtures get theirs through the helper they bind, factory-made
    ones from the factory (with its arguments substituted).
    """
    if fixture.binding is not FixtureBinding.DECORATOR:
        return fixture
    span = fixture.span

    def inside(found: list[tuple[int, str]]) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(
                v for line, v in found if span.start_line <= line <= span.end_line
            )
        )

    return replace(
        fixture, requests=inside(facts.requests), dynamic_requests=inside(facts.dynamic)
    )


def is_import_line(statement: cst.BaseStatement) -> bool:
    """A statement line made of imports only."""
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def block_statements(block: cst.CSTNode) -> list[cst.CSTNode]:
    """Statements nested in a block's suites (not inside functions or classes)."""
    found: list[cst.CSTNode] = []
    for child in block.children:
        if isinstance(child, (cst.FunctionDef, cst.ClassDef)):
            found.append(child)
        elif isinstance(child, cst.SimpleStatementLine):
            found.extend(child.body)
        elif not isinstance(child, cst.BaseExpression):
            found.extend(block_statements(child))
    return found


def assignment_targets(small: cst.BaseSmallStatement) -> tuple[str, ...] | None:
    """Names an assignment binds; None when it is not a plain binding of names."""
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        targets = [small.target]
    else:
        return None
    names: list[str] = []
    for target in targets:
        if not collect_names(target, names):
            return None
    return tuple(names)


def collect_names(target: cst.BaseExpression, names: list[str]) -> bool:
    """Append the names bound by an assignment target; False for subscripts/attributes."""
    if isinstance(target, cst.Name):
        names.append(target.value)
        return True
    if isinstance(target, (cst.Tuple, cst.List)):
        return all(collect_names(element.value, names) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return collect_names(target.value, names)
    return False


def is_docstring(line: cst.SimpleStatementLine) -> bool:
    """Whether a statement line is a lone string literal."""
    return (
        len(line.body) == 1
        and isinstance(line.body[0], cst.Expr)
        and isinstance(line.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def side_effect_note(line: cst.SimpleStatementLine) -> str:
    """What kind of side effect a statement line is, for humans."""
    for small in line.body:
        if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            return "assignment to an attribute or item of another object"
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return "call at import time"
    return "statement executed at import time"


def conditional_note(block: cst.CSTNode, fixtures: tuple[Fixture, ...]) -> str | None:
    """What a conditional block is for: optional imports, and the fixtures it defines."""
    notes: list[str] = []
    if isinstance(block, (cst.Try, cst.TryStar)) and any(
        catches_import_error(h.type) for h in block.handlers
    ):
        notes.append("optional import")
    if isinstance(block, cst.With) and any(
        isinstance(item.item, cst.Call)
        and any(catches_import_error(a.value) for a in item.item.args)
        for item in block.items
    ):
        notes.append("optional import")
    if fixtures:
        notes.append(
            "defines fixtures conditionally: " + ", ".join(f.name for f in fixtures)
        )
    return "; ".join(notes) or None


def catches_import_error(handled: cst.BaseExpression | None) -> bool:
    """Whether an ``except`` clause names ImportError or ModuleNotFoundError."""
    if isinstance(handled, cst.Tuple):
        return any(catches_import_error(e.value) for e in handled.elements)
    return isinstance(handled, cst.Name) and handled.value in {
        "ImportError",
        "ModuleNotFoundError",
    }
