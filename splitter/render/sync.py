"""The generated parts of a split, rendered from the split modules (pure).

``splitter sync`` writes ``conftest_loader.py`` from these texts (and the root's
generated block, :data:`~splitter.render.loader.ROOT_BLOCK`); for a split made by
splitter 0.1.0 it replaces the loader block and the lazy tail of the root
instead. They are composed exactly as :mod:`splitter.render.modules` composes
them at migration, so a sync right after a migration changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from splitter.model import Definition
from splitter.render.imports import sibling_import
from splitter.render.layout import Edge, generated, join
from splitter.render.legacy import render_legacy_loader
from splitter.render.loader import render_lazy_names, render_lazy_table, render_loader_module
from splitter.render.stubs import definition_stubs, render_stub


@dataclass(frozen=True)
class LazyFixture:
    """A fixture of a lazily loaded module, which the loader registers as a stub.

    ``function_name`` picks the fixture among those ``definition`` registers (a star
    import registers several).
    """

    stem: str
    definition: Definition
    function_name: str


@dataclass(frozen=True)
class LoaderSection:
    """The two generated pieces of a 0.1.0 split root: the loader block and the lazy tail (unformatted)."""

    loader: str
    lazy: str  # empty when nothing loads lazily


def render_loader_file(
    stems: Sequence[str],
    fixtures: Mapping[str, Sequence[str]],
    decorator_names: Mapping[str, Sequence[str]],
    imports: Sequence[str],
    lazy_names: Mapping[str, str],
    lazy_fixtures: Sequence[LazyFixture],
    *,
    package: bool,
    version: str,
    lazy_imports: Mapping[str, str] | None = None,
) -> str:
    """``conftest_loader.py`` (unformatted): ``fixtures`` of the eager modules and the names the
    stubs' decorators read from them imported, ``lazy_fixtures`` stubbed, ``imports`` for the decorators."""
    table = {f.function_name: f.stem for f in lazy_fixtures}
    imported = {stem: sorted({*fixtures.get(stem, ()), *decorator_names.get(stem, ())}) for stem in stems}
    exports = [*(n for stem in stems for n in sorted(fixtures.get(stem, ()))), *table]
    return render_loader_module(
        stems=stems,
        eager={stem: names for stem, names in imported.items() if names},
        imports=imports,
        lazy_names=lazy_names,
        lazy_fixtures=table,
        stubs=[_stub(f) for f in lazy_fixtures],
        exports=exports + (["__getattr__"] if lazy_names or lazy_imports else []),
        package=package,
        version=version,
        lazy_imports=lazy_imports,
    )


def render_legacy_section(
    stems: Sequence[str],
    eager: Mapping[str, Sequence[str]],
    lazy_names: Mapping[str, str],
    lazy_fixtures: Sequence[LazyFixture],
    *,
    package: bool,
    version: str,
) -> LoaderSection:
    """The loader block and lazy tail of a 0.1.0 split, importing ``eager`` names at once and stubbing ``lazy_fixtures``."""
    lazy = bool(lazy_fixtures) or bool(lazy_names)
    loader = [generated(render_legacy_loader(stems, package=package, version=version, lazy=lazy), Edge.OTHER)]
    loader += [generated(sibling_import(stem, names, relative=package), Edge.IMPORT) for stem, names in eager.items() if names]
    tail = [generated(render_lazy_names(lazy_names), Edge.OTHER, Edge.DEF)] if lazy_names else []
    if lazy_fixtures:
        table = {f.function_name: f.stem for f in lazy_fixtures}
        tail.append(generated(render_lazy_table(table), Edge.OTHER, Edge.DEF))
        tail += [generated(_stub(f), Edge.DEF) for f in lazy_fixtures]
    return LoaderSection(join(loader), join(tail) if tail else "")


def _stub(f: LazyFixture) -> str:
    return render_stub(dict(definition_stubs(f.definition))[f.function_name])
