"""Recognising fixtures in every spelling pytest accepts.

A fixture is a module attribute holding what ``pytest.fixture`` returns, so it
can come from a decorator (``@pytest.fixture``, ``@fixture(...)``,
``@pt.fixture``, ``@pytest_asyncio.fixture``, a module-level alias such as
``session_fixture = pytest.fixture(scope="session")``), from a call bound at
module level (``name = pytest.fixture(scope=...)(fn)``) or from a factory
helper that returns a decorated inner function (``alpha = make_fixture(1)``).
Names are resolved with ``QualifiedNameProvider``, never by matching text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    QualifiedNameSource,
    ScopeProvider,
)

from splitter.analyze.gather import (
    GatherFixtureValueArguments,
    code,
    literal_string,
    qualified_names_of,
)
from splitter.model import Fixture, FixtureBinding, FixtureKind, Scope
from splitter.analyze.references import StatementIndex

FIXTURE_DECORATORS = frozenset(
    {
        "pytest.fixture",
        "_pytest.fixtures.fixture",
        "pytest_asyncio.fixture",
        "pytest_asyncio.plugin.fixture",
    }
)
PARTIAL = frozenset({"functools.partial"})
# mock.patch decorators and the position of their ``new`` argument: without it they inject a mock
MOCK_PATCHES = {
    "unittest.mock.patch.object": 2,
    "mock.patch.object": 2,
    "unittest.mock.patch": 1,
    "mock.patch": 1,
}
MOCK_PATCH_DICT = frozenset({"unittest.mock.patch.dict", "mock.patch.dict"})


@dataclass(frozen=True)
class DecoratorSpec:
    """A fixture decorator ready to be applied, with the keyword arguments bound so far."""

    provider: str
    form: str
    keywords: Mapping[str, cst.BaseExpression] = field(default_factory=dict)

    def with_call(self, call: cst.Call) -> DecoratorSpec:
        """This decorator after ``(...)`` with keyword arguments."""
        keywords = dict(self.keywords)
        keywords.update(
            {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        )
        form = f"{self.form}(...)" if call.args else f"{self.form}()"
        return DecoratorSpec(self.provider, form, keywords)


class Names(cst.MetadataDependent):
    """Resolved scopes (for qualified names) of one wrapped module."""

    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, wrapper: MetadataWrapper) -> None:
        super().__init__()
        self.metadata = wrapper.resolve_many(self.get_inherited_dependencies())

    def qualified(self, node: cst.CSTNode) -> set[str]:
        """The imported or builtin qualified names of ``node`` (locals excluded)."""
        names = qualified_names_of(
            lambda n: self.get_metadata(ScopeProvider, n, None), node
        )
        return {n.name for n in names if n.source is not QualifiedNameSource.LOCAL}


class FixtureRecognizer:
    """Turns decorated functions and module-level bindings into :class:`Fixture`\\ s."""

    def __init__(
        self,
        wrapper: MetadataWrapper,
        index: StatementIndex,
        generators: Collection[cst.FunctionDef],
    ) -> None:
        self.wrapper = wrapper
        self.index = index
        self.generators = generators
        self.names = Names(wrapper)
        body = wrapper.module.body
        self.functions = {
            s.name.value: s for s in body if isinstance(s, cst.FunctionDef)
        }
        self.constants = dict(module_constants(body))
        self.aliases: dict[str, DecoratorSpec] = {}
        for name, value in self.constants.items():
            spec = self.decorator(value)
            if spec is not None:
                self.aliases[name] = spec

    def decorator(self, expr: cst.BaseExpression) -> DecoratorSpec | None:
        """The fixture decorator ``expr`` evaluates to, if it is one."""
        if isinstance(expr, cst.Call):
            return self.decorator_call(expr)
        provider = next(
            iter(sorted(self.names.qualified(expr) & FIXTURE_DECORATORS)), None
        )
        if provider is not None:
            return DecoratorSpec(provider, code(expr))
        if isinstance(expr, cst.Name) and expr.value in self.aliases:
            alias = self.aliases[expr.value]
            return DecoratorSpec(alias.provider, expr.value, alias.keywords)
        return None

    def decorator_call(self, call: cst.Call) -> DecoratorSpec | None:
        """``pytest.fixture(...)`` or ``functools.partial(pytest.fixture, ...)``."""
        if self.names.qualified(call.func) & PARTIAL and call.args:
            inner = self.decorator(call.args[0].value)
            rest = call.with_changes(args=call.args[1:])
            return None if inner is None else inner.with_call(rest)
        spec = self.decorator(call.func)
        if spec is None or any(a.keyword is None for a in call.args):
            return None
        return spec.with_call(call)

    def from_function(self, function: cst.FunctionDef) -> Fixture | None:
        """The fixture a decorated ``def`` registers, if any.

        Decorators below the fixture decorator wrap the function first: pytest
        reads the wrapper's signature, which only ``mock.patch`` makes predictable
        (pytest drops the arguments its patches inject).
        """
        for position, decorator in enumerate(function.decorators):
            spec = self.decorator(decorator.decorator)
            if spec is not None:
                fixture = self.build(
                    spec, function, function.name.value, FixtureBinding.DECORATOR
                )
                inner = function.decorators[position + 1 :]
                return self.wrapped(fixture, inner) if inner else fixture
        return None

    def wrapped(
        self, fixture: Fixture, inner: Sequence[cst.Decorator]
    ) -> Fixture:
        """``fixture`` whose function is first wrapped by the ``inner`` decorators."""
        injected = [self.injected_mocks(d.decorator) for d in inner]
        known = all(count is not None for count in injected)
        skip = sum(count or 0 for count in injected)
        return replace(
            fixture,
            argnames=fixture.argnames[skip:] if known else (),  # unknown: no guessed requests
            inner_decorators=tuple(code(d.decorator) for d in inner),
            signature_known=known,
        )

    def injected_mocks(self, decorator: cst.BaseExpression) -> int | None:
        """How many leading arguments a ``mock.patch`` decorator fills (None: not one).

        A patch injects a mock unless it is given ``new``; ``patch.dict`` injects nothing.
        """
        if not isinstance(decorator, cst.Call):
            return None
        names = self.names.qualified(decorator.func)
        if names & MOCK_PATCH_DICT:
            return 0
        new_at = next((p for n, p in MOCK_PATCHES.items() if n in names), None)
        if new_at is None:
            return None
        positional = [a for a in decorator.args if a.keyword is None]
        given = len(positional) > new_at or any(
            a.keyword is not None and a.keyword.value == "new" for a in decorator.args
        )
        return 0 if given else 1

    def from_binding(self, target: str, value: cst.BaseExpression) -> Fixture | None:
        """The fixture ``target = value`` registers, if any.

        ``pytest.fixture(fn)``, ``pytest.fixture(fn, name=...)`` and
        ``pytest.fixture(...)(fn)`` apply a decorator to a function; anything
        else may be a factory call.
        """
        if isinstance(value, cst.Name):
            return self.from_alias(target, value.value)
        if not isinstance(value, cst.Call):
            return None
        application = self.application(value)
        if application is None:
            return self.from_factory(target, value)
        spec, argument = application
        function: cst.FunctionDef | cst.Lambda | None = self.bound_function(argument)
        if function is None and isinstance(argument, cst.Lambda):
            function = argument
        if function is None:
            return self.opaque(spec, argument, target, FixtureBinding.CALL)
        return self.build(spec, function, target, FixtureBinding.CALL)

    def application(
        self, call: cst.Call
    ) -> tuple[DecoratorSpec, cst.BaseExpression] | None:
        """``pytest.fixture(fn, ...)`` or ``pytest.fixture(...)(fn)``: the decorator and ``fn``."""
        if not call.args or call.args[0].keyword is not None:
            return None
        spec = self.decorator(call.func)
        if spec is None:
            return None
        first = call.args[0].value
        applied = spec.with_call(call.with_changes(args=call.args[1:]))
        form = f"{spec.form}({code(first)})"
        return DecoratorSpec(spec.provider, form, applied.keywords), first

    def opaque(
        self,
        spec: DecoratorSpec,
        function: cst.BaseExpression,
        attribute: str,
        binding: FixtureBinding,
    ) -> Fixture:
        """A fixture whose function is not visible here: its name is known, its signature is not."""
        scope, scope_source = self.scope(spec.keywords.get("scope"))
        return Fixture(
            name=literal_string(spec.keywords.get("name")) or attribute,
            function_name=code(function),
            scope=scope,
            scope_source=scope_source,
            params_source=optional_code(spec.keywords.get("params")),
            ids_source=optional_code(spec.keywords.get("ids")),
            autouse=is_true(spec.keywords.get("autouse")),
            kind=FixtureKind.PLAIN,
            argnames=(),
            decorator_form=spec.form,
            docstring=None,
            binding=binding,
            provider=spec.provider,
            span=self.index.span(function),
            signature_known=False,
        )

    def from_alias(self, target: str, source: str) -> Fixture | None:
        """``target = source`` where ``source`` is a module-level fixture.

        pytest registers the same fixture again under ``target`` (unless it has
        a ``name=``, which both attributes then register).
        """
        function = self.functions.get(source)
        if function is not None:
            original = self.from_function(function)
        elif source in self.constants and source != target:
            original = self.from_binding(source, self.constants[source])
        else:
            return None
        if original is None:
            return None
        name = target if original.name == source else original.name
        return replace(
            original, name=name, binding=FixtureBinding.ALIAS, decorator_form=source
        )

    def bound_function(self, expr: cst.BaseExpression) -> cst.FunctionDef | None:
        """The function an expression gives: a module-level ``def`` or what a helper returns."""
        if isinstance(expr, cst.Name):
            return self.functions.get(expr.value)
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name):
            helper = self.functions.get(expr.func.value)
            return None if helper is None else returned_function(helper)
        return None

    def from_factory(self, target: str, call: cst.Call) -> Fixture | None:
        """``target = make_fixture(...)`` where the helper returns a decorated inner def."""
        if not isinstance(call.func, cst.Name) or call.func.value not in self.functions:
            return None
        factory = self.functions[call.func.value]
        inner = returned_function(factory)
        if inner is None:
            return self.from_factory_application(target, call, factory)
        arguments = bind_arguments(factory, call)
        for decorator in inner.decorators:
            spec = self.decorator(decorator.decorator)
            if spec is not None:
                keywords = {
                    k: arguments.get(code(v), v) for k, v in spec.keywords.items()
                }
                form = f"{call.func.value}(...)"
                fixture = self.build(
                    DecoratorSpec(spec.provider, form, keywords),
                    inner,
                    target,
                    FixtureBinding.FACTORY,
                )
                requests, dynamic = factory_requests(inner, arguments)
                return replace(
                    fixture,
                    requests=requests,
                    dynamic_requests=dynamic,
                    factory=call.func.value,
                )
        return None

    def from_factory_application(
        self, target: str, call: cst.Call, factory: cst.FunctionDef
    ) -> Fixture | None:
        """``target = make(...)`` where ``make`` returns ``pytest.fixture(fn, ...)``.

        ``fn`` may be a lambda, a nested ``def`` or one of the factory's
        parameters (then the argument of this call); the keyword arguments of
        the fixture decorator take this call's values.
        """
        returned = returned_expression(factory)
        application = self.application(returned) if isinstance(returned, cst.Call) else None
        if application is None or not isinstance(call.func, cst.Name):
            return None
        spec, argument = application
        arguments = bind_arguments(factory, call)
        keywords = {k: arguments.get(code(v), v) for k, v in spec.keywords.items()}
        spec = DecoratorSpec(spec.provider, f"{call.func.value}(...)", keywords)
        function = self.factory_function(factory, arguments.get(code(argument), argument))
        if function is None:
            fixture = self.opaque(spec, call, target, FixtureBinding.FACTORY)
        else:
            fixture = self.build(spec, function, target, FixtureBinding.FACTORY)
        requests, dynamic = factory_requests(function or factory, arguments)
        return replace(
            fixture, requests=requests, dynamic_requests=dynamic, factory=call.func.value
        )

    def factory_function(
        self, factory: cst.FunctionDef, function: cst.BaseExpression
    ) -> cst.FunctionDef | cst.Lambda | None:
        """The function a factory wraps: a lambda, a nested ``def`` or a module-level one."""
        if isinstance(function, cst.Lambda):
            return function
        if isinstance(function, cst.Name) and isinstance(factory.body, cst.IndentedBlock):
            for statement in factory.body.body:
                if isinstance(statement, cst.FunctionDef) and statement.name.value == function.value:
                    return statement
        return self.bound_function(function)

    def build(
        self,
        spec: DecoratorSpec,
        function: cst.FunctionDef | cst.Lambda,
        attribute: str,
        binding: FixtureBinding,
    ) -> Fixture:
        """The :class:`Fixture` registered by ``spec`` applied to ``function`` as ``attribute``."""
        keywords = spec.keywords
        scope, scope_source = self.scope(keywords.get("scope"))
        argnames, defaulted = argument_names(function.params)
        return Fixture(
            name=literal_string(keywords.get("name")) or attribute,
            function_name=function_name(function),
            scope=scope,
            scope_source=scope_source,
            params_source=optional_code(keywords.get("params")),
            ids_source=optional_code(keywords.get("ids")),
            autouse=is_true(keywords.get("autouse")),
            kind=fixture_kind(function, function in self.generators),
            argnames=argnames,
            decorator_form=spec.form,
            docstring=docstring(function) if isinstance(function, cst.FunctionDef) else None,
            binding=binding,
            provider=spec.provider,
            span=self.index.span(function),
            defaulted_args=defaulted,
        )

    def scope(self, expr: cst.BaseExpression | None) -> tuple[Scope, str]:
        """The scope of a ``scope=`` argument and its source; names of string constants resolve."""
        if expr is None:
            return Scope.FUNCTION, '"function"'
        value = literal_string(expr)
        if value is None and isinstance(expr, cst.Name):
            value = literal_string(self.constants.get(expr.value))
        if value is not None and value in {
            s.value for s in Scope if s is not Scope.DYNAMIC
        }:
            return Scope.from_user(value), code(expr)
        return Scope.DYNAMIC, code(expr)


def module_constants(
    body: Sequence[cst.BaseStatement],
) -> list[tuple[str, cst.BaseExpression]]:
    """``NAME = value`` statements at module level, in order (later ones win in a dict)."""
    found: list[tuple[str, cst.BaseExpression]] = []
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name):
                    found.append((target.value, small.value))
    return found


def returned_function(factory: cst.FunctionDef) -> cst.FunctionDef | None:
    """The nested ``def`` a factory returns by name, if it returns one."""
    if not isinstance(factory.body, cst.IndentedBlock):
        return None
    nested = {
        s.name.value: s for s in factory.body.body if isinstance(s, cst.FunctionDef)
    }
    for statement in factory.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Return) and isinstance(small.value, cst.Name):
                    return nested.get(small.value.value)
    return None


def returned_expression(factory: cst.FunctionDef) -> cst.BaseExpression | None:
    """What a factory's top-level ``return`` gives, if it has one."""
    if not isinstance(factory.body, cst.IndentedBlock):
        return None
    for statement in factory.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Return):
                    return small.value
    return None


def function_name(function: cst.FunctionDef | cst.Lambda) -> str:
    """The ``__name__`` the function will have."""
    return function.name.value if isinstance(function, cst.FunctionDef) else "<lambda>"


def factory_requests(
    inner: cst.CSTNode, arguments: Mapping[str, cst.BaseExpression]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(literal, dynamic) ``getfixturevalue`` arguments of a factory's inner function.

    An argument that is one of the factory's parameters takes the value of this call.
    """
    visitor = GatherFixtureValueArguments()
    inner.visit(visitor)
    literal: list[str] = []
    dynamic: list[str] = []
    for argument in visitor.arguments:
        value = argument
        if isinstance(argument, cst.Name) and argument.value in arguments:
            value = arguments[argument.value]
        name = literal_string(value)
        if name is None:
            dynamic.append(code(argument))
        else:
            literal.append(name)
    return tuple(dict.fromkeys(literal)), tuple(dict.fromkeys(dynamic))


def bind_arguments(
    factory: cst.FunctionDef, call: cst.Call
) -> dict[str, cst.BaseExpression]:
    """The factory's parameter names mapped to the arguments (or defaults) of one call."""
    params = [
        *factory.params.posonly_params,
        *factory.params.params,
        *factory.params.kwonly_params,
    ]
    bound: dict[str, cst.BaseExpression] = {
        p.name.value: p.default for p in params if p.default is not None
    }
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    for param, value in zip(
        [*factory.params.posonly_params, *factory.params.params], positional
    ):
        bound[param.name.value] = value
    bound.update({a.keyword.value: a.value for a in call.args if a.keyword is not None})
    return bound


def argument_names(params: cst.Parameters) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(argnames pytest requests, arguments it ignores because they have defaults).

    Like ``_pytest.compat.getfuncargnames``: positional-or-keyword and keyword-only
    arguments without defaults; a leading ``self`` is dropped.
    """
    candidates = [*params.params, *params.kwonly_params]
    if candidates and candidates[0].name.value == "self":
        candidates = candidates[1:]
    names = tuple(p.name.value for p in candidates if p.default is None)
    defaulted = tuple(p.name.value for p in candidates if p.default is not None)
    return names, defaulted


def fixture_kind(function: cst.FunctionDef | cst.Lambda, generator: bool) -> FixtureKind:
    """Plain, generator, async or async generator."""
    if isinstance(function, cst.Lambda):
        return FixtureKind.PLAIN
    if function.asynchronous is not None:
        return FixtureKind.ASYNC_GENERATOR if generator else FixtureKind.ASYNC
    return FixtureKind.GENERATOR if generator else FixtureKind.PLAIN


def docstring(function: cst.FunctionDef) -> str | None:
    """The function's docstring, cleaned like ``inspect.cleandoc``."""
    return function.get_docstring(clean=True)


def optional_code(expr: cst.BaseExpression | None) -> str | None:
    """The source of an optional argument."""
    return None if expr is None else code(expr)


def is_true(expr: cst.BaseExpression | None) -> bool:
    """Whether an ``autouse=`` argument is literally ``True``."""
    return isinstance(expr, cst.Name) and expr.value == "True"
