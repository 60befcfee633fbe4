"""Read-only ``Gather…`` visitors: facts about the statements of a conftest.

Each visitor collects one kind of fact as ``(node, value)`` pairs; parse
attributes every node to its top-level statement. They are batchable, so one
traversal of the module feeds them all; none of them changes the tree.
Scopes come from libcst's ``ScopeProvider`` and qualified names from the same
``Scope.get_qualified_names_for`` that ``QualifiedNameProvider`` uses, asked only
for the nodes that matter — never from matching text.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import libcst as cst
from libcst.metadata import (
    GlobalScope,
    QualifiedName,
    QualifiedNameSource,
    Scope,
    ScopeProvider,
)

from splitter.model import ImportedModule

USEFIXTURES = frozenset({"pytest.mark.usefixtures", "_pytest.mark.usefixtures"})
TYPE_CHECKING = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})
DYNAMIC_IMPORTS = frozenset({"importlib.import_module", "builtins.__import__"})
EMPTY_MODULE = cst.Module(body=[])


def code(node: cst.CSTNode) -> str:
    """The source text of a node, as written."""
    return EMPTY_MODULE.code_for_node(node)


def literal_string(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (no f-string), else None."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def local_name(qualified: QualifiedName) -> str:
    """A qualified name without the ``f.<locals>.`` prefix of names local to a function."""
    return qualified.name.rsplit(".<locals>.", 1)[-1]


Fact = tuple[cst.CSTNode, str]
ScopeLookup = Callable[[cst.CSTNode], "Scope | None"]


def qualified_names_of(scopes: ScopeLookup, node: cst.CSTNode) -> set[QualifiedName]:
    """What ``QualifiedNameProvider`` would say about ``node``, computed on demand.

    The provider computes ``Scope.get_qualified_names_for`` for every node of the
    module (a full traversal, about a third of a second on a 1,500-line conftest);
    asking the scope directly for the few nodes we inspect gives the same answer.
    """
    scope = scopes(node)
    return set(scope.get_qualified_names_for(node)) if scope is not None else set()


class GatherVisitor(cst.BatchableCSTVisitor):
    """A batchable visitor with access to the scopes and qualified names of expressions."""

    METADATA_DEPENDENCIES = (ScopeProvider,)

    def __init__(self, known: dict[cst.CSTNode, set[QualifiedName]] | None = None) -> None:
        super().__init__()
        # the qualified names already worked out, shared by the visitors of one batch
        self.known = {} if known is None else known

    def scope_of(self, node: cst.CSTNode) -> Scope | None:
        return self.get_metadata(ScopeProvider, node, None)

    def qualified_names_of(self, node: cst.CSTNode) -> set[QualifiedName]:
        names = self.known.get(node)
        if names is None:
            names = self.known[node] = qualified_names_of(self.scope_of, node)
        return names

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """Every qualified name ``node`` may refer to, locals without their prefix."""
        return {local_name(name) for name in self.qualified_names_of(node)}

    def is_imported_or_builtin(
        self, node: cst.CSTNode, candidates: Collection[str]
    ) -> bool:
        """Whether ``node`` names one of ``candidates`` through an import or the builtins."""
        return any(
            name.name in candidates and name.source is not QualifiedNameSource.LOCAL
            for name in self.qualified_names_of(node)
        )


class GatherRequests(GatherVisitor):
    """Fixtures requested by name: ``getfixturevalue("x")`` and ``usefixtures("x")``."""

    def __init__(self, known: dict[cst.CSTNode, set[QualifiedName]] | None = None) -> None:
        super().__init__(known)
        self.requests: list[Fact] = []
        self.dynamic: list[Fact] = []

    def visit_Call(self, node: cst.Call) -> None:
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "getfixturevalue"
        ):
            argument = next(
                (
                    a.value
                    for a in node.args
                    if a.keyword is None or a.keyword.value == "argname"
                ),
                None,
            )
            if argument is not None:
                self.record(argument)
        elif self.is_imported_or_builtin(node.func, USEFIXTURES):
            for arg in node.args:
                self.record(arg.value)

    def record(self, argument: cst.BaseExpression) -> None:
        name = literal_string(argument)
        if name is None:
            self.dynamic.append((argument, code(argument)))
        else:
            self.requests.append((argument, name))


class GatherImports(GatherVisitor):
    """Modules imported anywhere in a statement, flagged TYPE_CHECKING-only or deferred."""

    def __init__(self, known: dict[cst.CSTNode, set[QualifiedName]] | None = None) -> None:
        super().__init__(known)
        self.imports: list[tuple[cst.CSTNode, ImportedModule]] = []
        self.type_checking_depth = 0
        self.function_depth = 0

    def visit_If_body(self, node: cst.If) -> None:
        if self.is_type_checking(node.test):
            self.type_checking_depth += 1

    def leave_If_body(self, node: cst.If) -> None:
        if self.is_type_checking(node.test):
            self.type_checking_depth -= 1

    def is_type_checking(self, test: cst.BaseExpression) -> bool:
        return self.is_imported_or_builtin(test, TYPE_CHECKING) or (
            isinstance(test, cst.Name) and test.value == "TYPE_CHECKING"
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.function_depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.function_depth -= 1

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.add(node, code(alias.name), 0)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = code(node.module) if node.module is not None else ""
        names = () if isinstance(node.names, cst.ImportStar) else tuple(code(a.name) for a in node.names)
        if module != "__future__":
            self.add(node, module, len(node.relative), names)

    def visit_Call(self, node: cst.Call) -> None:
        if self.is_imported_or_builtin(node.func, DYNAMIC_IMPORTS) and node.args:
            name = literal_string(node.args[0].value)
            if name is not None:
                self.add(node, name, 0)

    def add(self, node: cst.CSTNode, name: str, level: int, names: tuple[str, ...] = ()) -> None:
        self.imports.append(
            (
                node,
                ImportedModule(
                    name=name,
                    level=level,
                    runtime=self.type_checking_depth == 0,
                    deferred=self.function_depth > 0,
                    names=names,
                ),
            )
        )


class GatherCalls(GatherVisitor):
    """What a statement calls, by qualified name (``redis.Redis``, ``mocker.patch``)."""

    def __init__(self, known: dict[cst.CSTNode, set[QualifiedName]] | None = None) -> None:
        super().__init__(known)
        self.calls: list[Fact] = []

    def visit_Call(self, node: cst.Call) -> None:
        for name in self.qualified_names(node.func) or {code(node.func)}:
            self.calls.append((node, name))


class GatherUnmovable(GatherVisitor):
    """Constructs that tie a statement to the conftest module itself."""

    def __init__(self, known: dict[cst.CSTNode, set[QualifiedName]] | None = None) -> None:
        super().__init__(known)
        self.reasons: list[Fact] = []

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            module = "." * len(node.relative) + (
                code(node.module) if node.module else ""
            )
            self.reasons.append((node, f"star import from {module}"))

    def visit_Call(self, node: cst.Call) -> None:
        if self.is_imported_or_builtin(node.func, {"builtins.globals"}):
            self.reasons.append((node, "uses globals()"))
        elif self.is_imported_or_builtin(node.func, {"builtins.exec", "builtins.eval"}):
            self.reasons.append((node, f"calls {code(node.func)}()"))
        elif (
            self.is_imported_or_builtin(node.func, {"builtins.locals", "builtins.vars"})
            and not node.args
            and isinstance(self.scope_of(node), GlobalScope)
        ):
            self.reasons.append((node, f"uses {code(node.func)}() at module level"))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        index = node.slice[0].slice if len(node.slice) == 1 else None
        if (
            self.is_imported_or_builtin(node.value, {"sys.modules"})
            and isinstance(index, cst.Index)
            and isinstance(index.value, cst.Name)
            and index.value.value == "__name__"
        ):
            self.reasons.append(
                (node, "reaches its own module through sys.modules[__name__]")
            )


class GatherReads(cst.BatchableCSTVisitor):
    """Names and dotted attribute paths read (``a``, ``a.b``, ``a.b.c`` of ``a.b.c.d()``).

    Render keeps ``import a.b`` in a module only when that module reads
    ``a.b``. The tail of an attribute (``c`` of ``a.c``) is not a name read,
    and imports bind names rather than read them. Keyword names and the
    attribute tails of calls' results (``f().x``) are kept: a superset only
    ever keeps an import that could have gone.
    """

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[Fact] = []
        self.chain: cst.Attribute | None = None  # the outermost Name-rooted chain being visited
        self.in_import = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.chain is not None or self.in_import:
            return
        parts: list[str] = []
        current: cst.BaseExpression = node
        while isinstance(current, cst.Attribute):
            parts.append(current.attr.value)
            current = current.value
        if isinstance(current, cst.Name):
            parts.append(current.value)
            parts.reverse()
            self.reads.extend((node, ".".join(parts[: end + 1])) for end in range(len(parts)))
            self.chain = node

    def leave_Attribute(self, original_node: cst.Attribute) -> None:
        if self.chain is original_node:
            self.chain = None

    def visit_Name(self, node: cst.Name) -> None:
        if self.chain is None and not self.in_import:
            self.reads.append((node, node.value))

    def visit_Import(self, node: cst.Import) -> None:
        self.in_import = True

    def leave_Import(self, original_node: cst.Import) -> None:
        self.in_import = False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.in_import = True

    def leave_ImportFrom(self, original_node: cst.ImportFrom) -> None:
        self.in_import = False


class GatherFixtureValueArguments(cst.CSTVisitor):
    """The arguments of ``….getfixturevalue(...)`` calls in a subtree, as written."""

    def __init__(self) -> None:
        super().__init__()
        self.arguments: list[cst.BaseExpression] = []

    def visit_Call(self, node: cst.Call) -> None:
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "getfixturevalue"
        ):
            self.arguments.extend(
                a.value
                for a in node.args[:1]
                if a.keyword is None or a.keyword.value == "argname"
            )


class GatherGenerators(cst.BatchableCSTVisitor):
    """The functions whose own body yields: generators (a nested function, lambda or class is not the function)."""

    def __init__(self) -> None:
        super().__init__()
        self.generators: set[cst.FunctionDef] = set()
        self.enclosing: list[cst.CSTNode] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.enclosing.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.enclosing.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.enclosing.append(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.enclosing.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.enclosing.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.enclosing.pop()

    def visit_Yield(self, node: cst.Yield) -> None:
        if self.enclosing and isinstance(self.enclosing[-1], cst.FunctionDef):
            self.generators.add(self.enclosing[-1])


def global_scope(
    scopes: Mapping[cst.CSTNode, Scope | None], module: cst.Module
) -> GlobalScope:
    """The module's global scope from a resolved ScopeProvider mapping."""
    scope = scopes[module]
    assert isinstance(scope, GlobalScope)
    return scope
