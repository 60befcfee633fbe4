"""Which module of a split (or of the monolith) each measured fixture belongs to.

Pure: source texts in, mappings out. A *module* is a ``conftest*.py`` file
beside the conftest being profiled. A fixture belongs to the module whose file
defines it, as the plugin recorded it. After ``splitter migrate`` a lazily
loaded fixture is registered by a stub in the generated ``conftest_loader.py``
(in a split made by splitter 0.1.0: in the root conftest); the generated
``_LAZY_FIXTURES`` table there names the module that implements it, and the
fixture is counted in that module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from splitter.memory.records import FixtureStats

LAZY_TABLE = "_LAZY_FIXTURES"
LOADER = "conftest_loader.py"  # the generated loader module beside a split root conftest


@dataclass(frozen=True)
class SplitModule:
    """One conftest module beside the profiled conftest."""

    path: str  # relative to rootdir, with forward slashes
    lines: int
    root: bool  # the conftest pytest loads (the others are imported by it)


@dataclass(frozen=True)
class Layout:
    """The modules of one tree and where its lazily loaded fixtures live."""

    conftest: str  # the root conftest, relative to rootdir
    modules: tuple[SplitModule, ...]  # the root conftest first, then by name
    lazy: tuple[tuple[str, str], ...] = ()  # (function name, module path) of each stub
    loader: str | None = None  # the generated loader module, which holds the stubs

    def module_of(self, fixture: FixtureStats) -> str | None:
        """The module that implements ``fixture``, or None if it lives elsewhere."""
        if fixture.location in (self.conftest, self.loader):
            return dict(self.lazy).get(fixture.function, fixture.location)
        paths = {m.path for m in self.modules}
        return fixture.location if fixture.location in paths else None

    def fixtures_of(
        self, module: str, fixtures: Iterable[FixtureStats]
    ) -> tuple[FixtureStats, ...]:
        """The measured fixtures implemented in ``module``."""
        return tuple(f for f in fixtures if self.module_of(f) == module)

    @property
    def split(self) -> bool:
        """Whether the conftest has been split into several modules."""
        return len(self.modules) > 1


def count_lines(source: str) -> int:
    """Lines of a source file, as an editor counts them."""
    return len(source.splitlines())


def lazy_table(source: str) -> dict[str, str]:
    """The generated ``_LAZY_FIXTURES = {function: module stem}`` of a split conftest."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            _named(t, LAZY_TABLE) for t in node.targets
        ):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return {}
            if isinstance(value, dict):
                return {str(k): str(v) for k, v in value.items()}
    return {}


def _named(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Name) and target.id == name


def make_layout(conftest: str, sources: Mapping[str, str]) -> Layout:
    """The layout of a tree from its conftest module sources (path relative to rootdir → text)."""
    directory = conftest.rpartition("/")[0]
    prefix = f"{directory}/" if directory else ""
    modules = tuple(
        SplitModule(path=path, lines=count_lines(text), root=path == conftest)
        for path, text in sorted(
            sources.items(), key=lambda item: (item[0] != conftest, item[0])
        )
    )
    loader = f"{prefix}{LOADER}" if f"{prefix}{LOADER}" in sources else None
    table = lazy_table(sources[loader] if loader else sources.get(conftest, ""))
    lazy = tuple((function, f"{prefix}{stem}.py") for function, stem in table.items())
    return Layout(conftest=conftest, modules=modules, lazy=lazy, loader=loader)
