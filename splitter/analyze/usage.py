"""analyze: what the test modules of a subset import and request (pure).

Read with Python's own parser (``ast``), not libcst: a subset can be a thousand test
files (pandas': 1,143 files, 46 MB), which libcst parsed in about 150 s of CPU and
``ast`` parses in a few. Nothing here is rewritten, only read, and what is read (import
statements, parameter names, string literals) is the same in both trees; libcst stays
the parser of the conftest, which splitter rewrites. A file that does not parse with
the running interpreter's grammar is skipped, as libcst's syntax errors were.

Imports at module level are paid while collecting, imports inside functions when the
tests run; the fixture names the tests ask for are the parameters of their functions
and the string arguments of ``usefixtures(...)`` and ``getfixturevalue(...)``.
Imports under ``if TYPE_CHECKING:`` never run and are left out (its ``else:`` is read).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from splitter.analyze.impact import resolve_module
from splitter.model import ImportedModule

BY_NAME = frozenset({"usefixtures", "getfixturevalue"})


@dataclass(frozen=True)
class FileUsage:
    """What one test module or conftest imports and requests."""

    collected: frozenset[str]  # absolute modules imported at module level
    deferred: frozenset[str]  # absolute modules imported inside functions
    requested: frozenset[str]  # names requested as fixtures


class GatherUsage:
    """Imports (module level or inside functions) and requested fixture names.

    Walks statements only (a test suite has millions of expression nodes): imports and
    ``def`` parameters are statements; the calls by name are looked for only in files
    whose text mentions them.
    """

    def __init__(self) -> None:
        self.collected: list[ImportedModule] = []
        self.deferred: list[ImportedModule] = []
        self.requested: set[str] = set()

    def statements(self, body: Iterable[ast.AST], depth: int) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.add(alias.name, 0, depth)
            elif isinstance(node, ast.ImportFrom):
                if node.module != "__future__":
                    self.add(node.module or "", node.level, depth)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                arguments = node.args
                self.requested.update(a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs))
                self.statements(node.body, depth + 1)
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                self.statements(node.orelse, depth)
            else:
                self.statements(_blocks(node), depth)

    def calls(self, tree: ast.AST) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in BY_NAME:
                for argument in node.args:
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        self.requested.add(argument.value)

    def add(self, name: str, level: int, depth: int) -> None:
        target = self.deferred if depth else self.collected
        target.append(ImportedModule(name=name, level=level))


def _blocks(node: ast.AST) -> list[ast.AST]:
    """The statements nested in a compound statement (``try`` handlers and ``match`` cases too)."""
    found: list[ast.AST] = []
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, field, ()) or ():
            found += child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child]
    return found


def _is_type_checking(test: ast.expr) -> bool:
    name = test.attr if isinstance(test, ast.Attribute) else test.id if isinstance(test, ast.Name) else None
    return name == "TYPE_CHECKING"


def file_usage(source: str, package: str | None) -> FileUsage | None:
    """What a test module's source imports and requests; None if it does not parse."""
    try:
        module = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    visitor = GatherUsage()
    visitor.statements(module.body, 0)
    if any(name in source for name in BY_NAME):
        visitor.calls(module)
    return FileUsage(
        collected=resolved(visitor.collected, package),
        deferred=resolved(visitor.deferred, package),
        requested=frozenset(visitor.requested),
    )


def resolved(imports: Iterable[ImportedModule], package: str | None) -> frozenset[str]:
    """Absolute module names of imports (relative ones from ``package``)."""
    names = (resolve_module(i, package) for i in imports)
    return frozenset(n for n in names if n)
