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
from splitter.analyze.star import RUNS_AT_IMPORT, star_blocker
from splitter.errors import UserError
from splitter.model import ConftestModel, Definition, Fixture, FixtureBinding, ImportedModule, Kind, StarImport

MAX_DEPTH = 4  # re-export hops followed from the conftest's import


@dataclass(frozen=True)
class ModuleSource:
    """A module's source as found on disk, for :func:`with_imported_fixtures`."""

    name: str
    text: str
    is_package: bool  # an ``__init__.py``: relative imports resolve inside it
    installed: bool = False  # found on the interpreter's path, not among the project's sources


Lookup = Callable[[str], "ModuleSource | None"]
Parse = Callable[[str, str], ConftestModel]


def with_imported_fixtures(model: ConftestModel, package: str | None, lookup: Lookup, parse: Parse) -> ConftestModel:
    """``model`` with the fixtures its ``from … import`` statements bring in, on those statements."""
    resolver = _Resolver(lookup, parse)
    definitions = [
        d if not _imports_names(d) else replace(d, fixtures=(*d.fixtures, *resolver.statement(d, package)))
        for d in model.definitions
    ]
    definitions = _settle_clashes([_with_star(d, resolver, package) for d in definitions])
    imported: dict[str, Fixture] = {}
    for index, d in enumerate(definitions):
        alias = _alias_of(d, imported)
        if alias is not None:
            definitions[index] = replace(d, kind=Kind.FIXTURE, fixtures=(alias,))
        imported.update({f.function_name: f for f in definitions[index].fixtures if f.binding is FixtureBinding.IMPORTED})
    return replace(model, definitions=tuple(definitions))


def _with_star(d: Definition, resolver: _Resolver, package: str | None) -> Definition:
    """A star import of a module splitter can read: what it binds, and whether it may load lazily.

    Its ``imports`` gain the modules the star-imported module imports, so measuring,
    impact and units see what loading it costs.
    """
    node = _star_import(d)
    module = _absolute(node, package) if node is not None and d.kind is Kind.UNMOVABLE else None
    if module is None:
        return d
    star = resolver.star(module)
    if star is None:
        return d
    if not star.names:  # found, but what it binds cannot be read
        return replace(d, star=star)
    own = tuple(ImportedModule(m) for m in star.imports)
    return replace(d, names=star.names, star=star, imports=tuple(dict.fromkeys((*d.imports, *own))))


def _settle_clashes(definitions: list[Definition]) -> list[Definition]:
    """Star imports binding a name the conftest binds too.

    A plain ``import X`` of the conftest binds the same module as the star-imported
    module's own plain ``import X`` (``pytest``): the name is left to the conftest's
    import. Any other name (``from datetime import datetime`` in the module against
    ``import datetime`` in the conftest rebinds it), or a fixture registered twice,
    keeps the star import in the root conftest.
    """
    binders: dict[str, list[Definition]] = {}
    registered: dict[str, list[Definition]] = {}
    for d in definitions:
        for name in d.names:
            binders.setdefault(name, []).append(d)
        for fixture in d.fixtures:
            registered.setdefault(fixture.name, []).append(d)
    settled = []
    for d in definitions:
        if d.star is None or not d.names:
            settled.append(d)
            continue
        others = {name: [e for e in binders[name] if e is not d] for name in d.names}
        modules = {
            name
            for name, where in others.items()
            if where and name in d.star.module_names and all(_imports_module(e, name) for e in where)
        }
        clashes = [name for name, where in others.items() if where and name not in modules]
        clashes += [f.name for f in d.fixtures if any(e is not d for e in registered[f.name])]
        kept = tuple(n for n in d.names if n not in modules)
        star = replace(d.star, names=kept)
        if clashes and star.blocker is None:
            star = replace(star, blocker=f"it binds {clashes[0]}, which the conftest binds too")
        settled.append(replace(d, names=kept, star=star))
    return settled


def _imports_module(d: Definition, name: str) -> bool:
    """Whether ``d`` is ``import name`` (the module itself, no ``as``)."""
    statement = d.statement
    if d.kind is not Kind.IMPORT or not isinstance(statement, cst.SimpleStatementLine):
        return False
    return all(
        isinstance(small, cst.Import)
        and any(a.asname is None and code(a.name) == name for a in small.names)
        for small in statement.body
    )


def _star_import(d: Definition) -> cst.ImportFrom | None:
    """The ``from … import *`` a statement consists of, if that is all it is."""
    statement = d.statement
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    return node if isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar) else None


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
        self.installed: set[str] = set()  # modules read from the interpreter's path

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

    def public_names(self, module: str, depth: int = MAX_DEPTH) -> list[str]:
        """What ``from module import *`` binds: its literal ``__all__``, else every name without
        ``_``, those its own star imports bind included (a fixture package whose ``__init__.py``
        star-imports its modules)."""
        loaded = self.model(module)
        if loaded is None or depth == 0:
            return []
        model, package = loaded
        exported = _literal_all(model)
        if exported is not None:
            return exported
        names: list[str] = []
        for d in model.definitions:
            names += d.names
            nested = self.star_source(d, package)
            if nested is not None:
                names += self.public_names(nested, depth - 1)
        return list(dict.fromkeys(n for n in names if not n.startswith("_")))

    def star_source(self, d: Definition, package: str | None) -> str | None:
        """The module ``d`` star-imports, when it is a star import."""
        node = _star_import(d)
        return _absolute(node, package) if node is not None else None

    def binders(self, module: str, name: str, depth: int) -> list[Definition]:
        """The statements of ``module`` that bind ``name``, its star imports that bring it in included."""
        loaded = self.model(module)
        if loaded is None:
            return []
        model, package = loaded
        found = []
        for d in model.definitions:
            nested = self.star_source(d, package) if name not in d.names else None
            if name in d.names or (nested is not None and name in self.public_names(nested, depth - 1)):
                found.append(d)
        return found

    def star(self, module: str) -> StarImport | None:
        """What ``from module import *`` binds, read statically; None when the module is not the
        project's or does not parse. A module that computes ``__all__`` binds no known names."""
        loaded = self.model(module)
        if loaded is None:
            return None
        model, package = loaded
        runs_code = any(d.kind in RUNS_AT_IMPORT for d in model.definitions)
        exported = _literal_all(model)
        binds_all = any("__all__" in d.names for d in model.definitions)
        if (exported is None and binds_all) or any("__all__" in (*d.uses, *d.unresolved) for d in model.definitions):
            computed = "its __all__ is computed: what it binds is not known before it runs"
            return StarImport(module, (), computed, runs_code=runs_code)
        names = tuple(dict.fromkeys(exported if exported is not None else self.public_names(module)))
        functions: list[tuple[str, cst.FunctionDef]] = []
        fixtures: list[Fixture] = []
        for name in names:
            found = self.fixture(module, name, MAX_DEPTH)
            if found is None:
                continue
            fixtures.append(found[0])
            owner = self.binders(module, name, MAX_DEPTH)[-1]
            if owner.fixture is not None and isinstance(owner.statement, cst.FunctionDef):
                functions.append((name, owner.statement))
        resolved = {
            resolve_module(i, package) for d in model.definitions for i in d.imports if i.runtime and not i.deferred
        }
        imports = tuple(sorted(m for m in resolved if m is not None))
        blocker = star_blocker(module, model, names, fixtures, {name for name, _ in functions})
        if module in self.installed:
            blocker = f"{module} is an installed package, not a module of the project: it keeps its place"
        plain = frozenset(n for n in names if self.imports_module(module, n, MAX_DEPTH))
        return StarImport(module, names, blocker, imports, runs_code, plain, tuple(functions))

    def imports_module(self, module: str, name: str, depth: int) -> bool:
        """Whether what ``module`` binds last to ``name`` is ``import name`` (through its star imports)."""
        loaded = self.model(module)
        binders = self.binders(module, name, depth) if loaded is not None and depth > 0 else []
        if not binders or loaded is None:
            return False
        owner = binders[-1]
        nested = self.star_source(owner, loaded[1]) if name not in owner.names else None
        if nested is not None:
            return self.imports_module(nested, name, depth - 1)
        return _imports_module(owner, name)

    def model(self, module: str) -> tuple[ConftestModel, str | None] | None:
        """The parsed module and the package its relative imports start from."""
        if module not in self.models:
            source = self.lookup(module)
            if source is None:
                self.models[module] = None
            else:
                package = module if source.is_package else module.rpartition(".")[0] or None
                if source.installed:
                    self.installed.add(module)
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
        binders = self.binders(module, name, depth)
        if not binders:
            return None
        owner = binders[-1]
        nested = self.star_source(owner, package) if name not in owner.names else None
        if nested is not None:
            return self.fixture(nested, name, depth - 1)
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
