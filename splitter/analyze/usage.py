"""analyze: what the test modules of a subset import and request (pure).

Read with libcst, without metadata providers (test files can be many): imports at
module level are paid while collecting, imports inside functions when the tests
run; the fixture names the tests ask for are the parameters of their functions
and the string arguments of ``usefixtures(...)`` and ``getfixturevalue(...)``.
Imports under ``if TYPE_CHECKING:`` never run and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from splitter.analyze.gather import code, literal_string
from splitter.analyze.impact import resolve_module
from splitter.model import ImportedModule

BY_NAME = frozenset({"usefixtures", "getfixturevalue"})


@dataclass(frozen=True)
class FileUsage:
    """What one test module or conftest imports and requests."""

    collected: frozenset[str]  # absolute modules imported at module level
    deferred: frozenset[str]  # absolute modules imported inside functions
    requested: frozenset[str]  # names requested as fixtures


class GatherUsage(cst.CSTVisitor):
    """Imports (module level or inside functions) and requested fixture names."""

    def __init__(self) -> None:
        super().__init__()
        self.collected: list[ImportedModule] = []
        self.deferred: list[ImportedModule] = []
        self.requested: set[str] = set()
        self.function_depth = 0

    def visit_If(self, node: cst.If) -> bool:
        test = node.test
        name = test.attr if isinstance(test, cst.Attribute) else test
        return not (isinstance(name, cst.Name) and name.value == "TYPE_CHECKING")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.function_depth += 1
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self.requested.add(param.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.function_depth -= 1

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.add(code(alias.name), 0)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = code(node.module) if node.module is not None else ""
        if module != "__future__":
            self.add(module, len(node.relative))

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in BY_NAME:
            for arg in node.args:
                name = literal_string(arg.value)
                if name is not None:
                    self.requested.add(name)

    def add(self, name: str, level: int) -> None:
        target = self.deferred if self.function_depth else self.collected
        target.append(ImportedModule(name=name, level=level))


def file_usage(source: str, package: str | None) -> FileUsage | None:
    """What a test module's source imports and requests; None if it does not parse."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    visitor = GatherUsage()
    module.visit(visitor)
    return FileUsage(
        collected=resolved(visitor.collected, package),
        deferred=resolved(visitor.deferred, package),
        requested=frozenset(visitor.requested),
    )


def resolved(imports: Iterable[ImportedModule], package: str | None) -> frozenset[str]:
    """Absolute module names of imports (relative ones from ``package``)."""
    names = (resolve_module(i, package) for i in imports)
    return frozenset(n for n in names if n)
