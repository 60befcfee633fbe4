"""Fixtures a conftest imports: pytest registers every fixture object its module holds.

``from shared_plugin import shared_fixture`` (or ``import *``) puts the fixture
object in the conftest's namespace, and pytest registers it from there, under
the attribute name unless the fixture has a ``name=``. To know which imported
names are fixtures, the module they come from is parsed with the same
recognizer as the conftest, following re-exports (``from .impl import x``) a
few modules deep. Only the project's own sources are read (see
:class:`ModuleSource`); a name from elsewhere stays an ordinary import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import libcst as cst

from splitter.analyze.gather import code, literal_string
from splitter.analyze.impact import resolve_module
from splitter.errors import UserError
from splitter.model import ConftestModel, Definition, Fixture, FixtureBinding, ImportedModule, Kind

MAX_DEPTH = 4  # re-export hops followed from the conftest's import


@dataclass(frozen=True)
class ModuleSource:
    """A module's source as found on disk, for :func:`with_imported_fixtures`."""

    name: str
    text: str
    is_package: bool  # an ``__init__.py``: relative imports resolve inside it


Lookup = Callable[[str], "ModuleSource | None"]
Parse = Callable[[str, str], ConftestModel]


def with_imported_fixtures(model: ConftestModel, package: str | None, lookup: Lookup, parse: Parse) -> ConftestModel:
    """``model`` with the fixtures its ``from … import`` statements bring in, on those statements."""
    resolver = _Resolver(lookup, parse)
    definitions = [
        d if not _imports_names(d) else replace(d, fixtures=(*d.fixtures, *resolver.statement(d, package)))
        for d in model.definitions
    ]
    imported: dict[str, Fixture] = {}
    for index, d in enumerate(definitions):
        alias = _alias_of(d, imported)
        if alias is not None:
            definitions[index] = replace(d, kind=Kind.FIXTURE, fixtures=(alias,))
        imported.update({f.function_name: f for f in definitions[index].fixtures if f.binding is FixtureBinding.IMPORTED})
    return replace(model, definitions=tuple(definitions))


def _alias_of(d: Definition, imported: dict[str, Fixture]) -> Fixture | None:
    """``other = shared_fixture`` where ``shared_fixture`` was imported: pytest registers it again as ``other``."""
    statement = d.statement
    if d.kind is not Kind.CONSTANT or not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or not isinstance(assign.value, cst.Name):
        return None
    target, source = assign.targets[0].target, imported.get(assign.value.value)
    if source is None or not isinstance(target, cst.Name):
        return None
    name = target.value if source.name == source.function_name else source.name
    return replace(source, name=name, function_name=target.value, binding=FixtureBinding.ALIAS, span=d.span)


def _imports_names(d: Definition) -> bool:
    return d.kind in (Kind.IMPORT, Kind.UNMOVABLE) and any(_from_imports(d.statement))


def _from_imports(statement: cst.BaseStatement) -> list[cst.ImportFrom]:
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    return [s for s in statement.body if isinstance(s, cst.ImportFrom)]


Found = tuple[Fixture, "str | None"]  # a fixture and the ``name=`` it registers under, if any


class _Resolver:
    """Parses the modules imports come from (each once) and finds the fixtures they bind."""

    def __init__(self, lookup: Lookup, parse: Parse) -> None:
        self.lookup = lookup
        self.parse = parse
        self.models: dict[str, tuple[ConftestModel, str | None] | None] = {}

    def statement(self, d: Definition, package: str | None) -> list[Fixture]:
        """The fixtures one import statement of the conftest binds, as the conftest registers them."""
        found: list[Fixture] = []
        for node in _from_imports(d.statement):
            module = _absolute(node, package)
            if module is None:
                continue
            for local, name in self.imported_names(node, module):
                resolved = self.fixture(module, name, MAX_DEPTH)
                if resolved is not None:
                    found.append(_registered(resolved, local, name, module, d))
        return found

    def imported_names(self, node: cst.ImportFrom, module: str) -> list[tuple[str, str]]:
        """(local name, name in ``module``) for each alias, or every public name of a star import."""
        if isinstance(node.names, cst.ImportStar):
            return [(name, name) for name in self.public_names(module)]
        pairs = []
        for alias in node.names:
            name = code(alias.name)
            local = alias.asname.name if alias.asname is not None else None
            pairs.append((local.value if isinstance(local, cst.Name) else name, name))
        return pairs

    def public_names(self, module: str) -> list[str]:
        """What ``from module import *`` binds: its literal ``__all__``, else every name without ``_``."""
        loaded = self.model(module)
        if loaded is None:
            return []
        model = loaded[0]
        exported = _literal_all(model)
        if exported is not None:
            return exported
        return [n for d in model.definitions for n in d.names if not n.startswith("_")]

    def model(self, module: str) -> tuple[ConftestModel, str | None] | None:
        """The parsed module and the package its relative imports start from."""
        if module not in self.models:
            source = self.lookup(module)
            if source is None:
                self.models[module] = None
            else:
                package = module if source.is_package else module.rpartition(".")[0] or None
                try:
                    self.models[module] = (self.parse(source.text, source.name), package)
                except UserError:  # a module that does not parse registers nothing we can see
                    self.models[module] = None
        return self.models[module]

    def fixture(self, module: str, name: str, depth: int) -> Found | None:
        """The fixture ``module.name`` is, following re-exports."""
        loaded = self.model(module)
        if loaded is None or depth == 0:
            return None
        model, package = loaded
        binders = [d for d in model.definitions if name in d.names]
        if not binders:
            return None
        owner = binders[-1]
        if owner.kind is not Kind.IMPORT:
            return _bound_fixture(owner, name)
        for node in _from_imports(owner.statement):
            source = _absolute(node, package)
            for local, original in self.imported_names(node, source) if source else []:
                if local == name and source is not None:
                    return self.fixture(source, original, depth - 1)
        return None


def _bound_fixture(d: Definition, attribute: str) -> Found | None:
    """The fixture ``d`` binds to ``attribute``, and its ``name=`` if it has one."""
    for fixture in d.fixtures:
        if fixture.function_name == attribute or len(d.fixtures) == 1:
            own = fixture.function_name if fixture.binding is FixtureBinding.DECORATOR else attribute
            return fixture, (fixture.name if fixture.name != own else None)
    return None


def _registered(found: Found, local: str, name: str, module: str, d: Definition) -> Fixture:
    """The imported fixture as the conftest registers it: under ``local`` unless it has a ``name=``."""
    fixture, own_name = found
    return replace(
        fixture,
        name=own_name or local,
        function_name=local,
        decorator_form=f"from {module} import {name}",
        binding=FixtureBinding.IMPORTED,
        span=d.span,
        factory=None,
        inner_decorators=(),
    )


def _absolute(node: cst.ImportFrom, package: str | None) -> str | None:
    written = code(node.module) if node.module is not None else ""
    return resolve_module(ImportedModule(written, len(node.relative)), package)


def _literal_all(model: ConftestModel) -> list[str] | None:
    """The strings of a module-level ``__all__ = [...]`` or ``(...)``; None when absent or computed."""
    binders = [d for d in model.definitions if "__all__" in d.names]
    if not binders or not isinstance(binders[-1].statement, cst.SimpleStatementLine):
        return None
    assignment = binders[-1].statement.body[0]
    if not isinstance(assignment, cst.Assign) or not isinstance(assignment.value, (cst.List, cst.Tuple)):
        return None
    names = [literal_string(e.value) for e in assignment.value.elements]
    return None if any(n is None for n in names) else [n for n in names if n is not None]
