"""Measuring collection: which conftests, test files and packages the memory went to.

Collection is what a container's memory limit meets first: every conftest and
test module is imported, with everything they import, before the first test
runs. Three kinds of frames are opened on the :class:`~splitter.memory.ledger.Ledger`
while pytest starts up and collects:

- a **conftest** frame around each conftest import (pytest's
  ``PytestPluginManager._importconftest``, wrapped on this config's plugin
  manager only; it is private API, so if it is missing conftests are simply
  not broken out);
- a **collector** frame around each ``pytest_make_collect_report`` (importing
  a test module happens there);
- an **import** frame around each ``import`` statement or
  ``importlib.import_module`` call that loads a module not yet in
  ``sys.modules`` (both are wrapped until collection ends, main thread only;
  pytest's own imports of conftests and test modules are the frames above).

Limits, stated plainly: modules executed by a loader directly
(``spec.loader.exec_module``), and several submodules loaded at once by
``from package import a, b``, are charged to the frame that was running; a
third-party package's cost is charged to its top-level name; RSS granularity is
a page, and allocator reuse can hide small costs.
"""

from __future__ import annotations

import builtins
import importlib.util
import os
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from splitter.memory.ledger import Closed, Ledger
from splitter.memory.records import ImportCost, SiteCost, SiteKind

VENDOR_DIRECTORIES = frozenset({"site-packages", "dist-packages"})
# importlib.import_module callers whose imports the site frames already cover.
PYTEST_INTERNALS = frozenset({"_pytest", "pytest", "pluggy", "importlib"})


@dataclass
class _ImportTally:
    project: bool
    location: str
    imported_by: str
    during: str = ""
    self_mb: float = 0.0
    inclusive_mb: float = 0.0
    seconds: float = 0.0
    modules: int = 0


@dataclass
class _SiteTally:
    inclusive_mb: float = 0.0
    self_mb: float = 0.0
    seconds: float = 0.0
    modules: int = 0


class CollectionTally:
    """Sums the closed collection frames per package and per site."""

    def __init__(self, rootdir: Path) -> None:
        self.rootdir = os.path.abspath(rootdir)
        self.imports: dict[str, _ImportTally] = {}
        self.sites: dict[tuple[SiteKind, str], _SiteTally] = {}

    def relative(self, path: str | os.PathLike[str]) -> str:
        """A path relative to rootdir, with forward slashes, if it lies inside it."""
        absolute = os.path.abspath(path)
        try:
            relative = os.path.relpath(absolute, self.rootdir)
        except ValueError:  # another drive
            return absolute
        return absolute if relative.startswith("..") else relative.replace(os.sep, "/")

    def is_project_file(self, path: str) -> bool:
        """Whether ``path`` belongs to the project rather than to an installed package."""
        relative = self.relative(path)
        if os.path.isabs(relative):
            return False
        return not VENDOR_DIRECTORIES.intersection(relative.split("/"))

    def add_import(
        self, closed: Closed, module: str, importer: str, enclosing: tuple[Any, ...]
    ) -> None:
        """Charge one import frame to its package (or project module)."""
        loaded = sys.modules.get(module)
        file = getattr(loaded, "__file__", None)
        project = isinstance(file, str) and self.is_project_file(file)
        name = module if project else module.partition(".")[0]
        tally = self.imports.get(name)
        if tally is None:
            location = self.relative(file) if project and isinstance(file, str) else ""
            tally = self.imports[name] = _ImportTally(project, location, imported_by="")
        tally.self_mb += closed.self_mb
        tally.modules += len(closed.modules)
        if project or not _inside_same_package(name, enclosing):
            # The outermost import of the package: nested ones close first and are inside it.
            tally.inclusive_mb += closed.inclusive_mb
            tally.seconds += closed.seconds
            if not tally.imported_by:
                tally.imported_by = importer
                tally.during = next(
                    (str(key[2]) for key in reversed(enclosing) if key[0] == "site"), ""
                )

    def add_site(
        self, closed: Closed, kind: SiteKind, path: str, enclosing: tuple[Any, ...]
    ) -> None:
        """Charge one conftest or collector frame to its file."""
        key = (kind, self.relative(path))
        tally = self.sites.setdefault(key, _SiteTally())
        tally.self_mb += closed.self_mb
        if ("site", *key) not in enclosing:
            tally.inclusive_mb += closed.inclusive_mb
            tally.seconds += closed.seconds
            tally.modules += closed.modules_total

    def project_files(self, modules: Iterable[str]) -> tuple[str, ...]:
        """The files of the project's modules among ``modules``, relative to rootdir, sorted."""
        files = (getattr(sys.modules.get(name), "__file__", None) for name in modules)
        return tuple(
            sorted(
                {
                    self.relative(f)
                    for f in files
                    if isinstance(f, str) and self.is_project_file(f)
                }
            )
        )

    def import_costs(self) -> tuple[ImportCost, ...]:
        """Every package imported while collecting, costliest (self) first."""
        costs = (
            ImportCost(
                name,
                t.project,
                t.location,
                t.self_mb,
                t.inclusive_mb,
                t.seconds,
                t.modules,
                t.imported_by,
                t.during,
            )
            for name, t in self.imports.items()
        )
        return tuple(sorted(costs, key=lambda c: (-c.self_mb, -c.inclusive_mb, c.name)))

    def site_costs(self) -> tuple[SiteCost, ...]:
        """Every conftest and collected file, costliest first."""
        costs = (
            SiteCost(path, kind, t.inclusive_mb, t.self_mb, t.seconds, t.modules)
            for (kind, path), t in self.sites.items()
        )
        return tuple(sorted(costs, key=lambda c: (-c.inclusive_mb, c.site)))


def _inside_same_package(name: str, enclosing: tuple[Any, ...]) -> bool:
    """Whether an import of package ``name`` is nested in another import of it."""
    return any(
        key[0] == "import" and key[1].partition(".")[0] == name for key in enclosing
    )


def site_key(
    kind: SiteKind, path: str, tally: CollectionTally
) -> tuple[str, SiteKind, str]:
    """The ledger key of a site frame (matches what :meth:`CollectionTally.add_site` looks for)."""
    return ("site", kind, tally.relative(path))


class ImportWatch:
    """Wraps ``builtins.__import__`` and ``importlib.import_module`` to open a frame for
    every new module import (pytest's own imports of conftests and test modules are
    left to the conftest and collector frames)."""

    def __init__(self, ledger: Ledger, tally: CollectionTally) -> None:
        self._ledger = ledger
        self._tally = tally
        self._original: Callable[..., ModuleType] = builtins.__import__
        self._original_import_module: Callable[..., ModuleType] = (
            importlib.import_module
        )
        self._thread = threading.get_ident()
        self.active = False

    def install(self) -> None:
        """Start watching imports."""
        self._original = builtins.__import__
        self._original_import_module = importlib.import_module
        builtins.__import__ = self._import
        importlib.import_module = self._import_module
        self.active = True

    def uninstall(self) -> None:
        """Stop watching; if someone wrapped us since, we just step aside."""
        self.active = False
        if builtins.__import__ == self._import:
            builtins.__import__ = self._original
        if importlib.import_module == self._import_module:
            importlib.import_module = self._original_import_module

    def _watching(self) -> bool:
        return self.active and threading.get_ident() == self._thread

    def _import_module(self, name: str, package: str | None = None) -> ModuleType:
        caller = str(sys._getframe(1).f_globals.get("__name__", ""))
        if not self._watching() or caller.partition(".")[0] in PYTEST_INTERNALS:
            return self._original_import_module(name, package)
        try:
            module = (
                importlib.util.resolve_name(name, package)
                if name.startswith(".")
                else name
            )
        except (ImportError, ValueError):
            return self._original_import_module(name, package)
        if module in sys.modules:
            return self._original_import_module(name, package)
        self._ledger.push(("import", module))
        try:
            return self._original_import_module(name, package)
        finally:
            closed = self._ledger.pop()
            self._tally.add_import(closed, module, caller, self._ledger.open_keys())

    def _import(
        self,
        name: str,
        globals: Mapping[str, Any] | None = None,
        locals: Mapping[str, Any] | None = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> ModuleType:
        if not self._watching():
            return self._original(name, globals, locals, fromlist, level)
        module = resolve_name(name, globals, level)
        if module is not None and module in sys.modules and fromlist:
            module = new_submodule(module, fromlist)
        if module is None or module in sys.modules:
            return self._original(name, globals, locals, fromlist, level)
        self._ledger.push(("import", module))
        try:
            return self._original(name, globals, locals, fromlist, level)
        finally:
            closed = self._ledger.pop()
            importer = str((globals or {}).get("__name__", ""))  # empty: C code or exec
            self._tally.add_import(closed, module, importer, self._ledger.open_keys())


def resolve_name(
    name: str, globals: Mapping[str, Any] | None, level: int
) -> str | None:
    """The absolute module name an import statement asks for, or None if unclear."""
    if level == 0:
        return name
    if not globals:
        return None
    package = globals.get("__package__")
    if not package:
        spec = globals.get("__spec__")
        package = getattr(spec, "parent", None)
    if not package:
        return None
    try:
        return importlib.util.resolve_name("." * level + name, str(package))
    except (ImportError, ValueError):
        return None


def new_submodule(package: str, fromlist: Any) -> str | None:
    """For ``from package import name``: the submodule it will import, if exactly one is new.

    Looks only at the module's ``__dict__`` (never ``getattr``, which could run
    a module ``__getattr__``). Several new submodules in one statement are
    charged together to ``package``.
    """
    namespace = vars(sys.modules[package])
    if "__path__" not in namespace:
        return None
    new = [
        f"{package}.{n}"
        for n in fromlist
        if n != "*" and n not in namespace and f"{package}.{n}" not in sys.modules
    ]
    if not new:
        return None
    return new[0] if len(new) == 1 else None


class ConftestWatch:
    """Opens a frame around every conftest import of one plugin manager."""

    def __init__(self, manager: Any, ledger: Ledger, tally: CollectionTally) -> None:
        self._manager = manager
        self._ledger = ledger
        self._tally = tally
        self._original: Callable[..., Any] | None = getattr(
            manager, "_importconftest", None
        )

    def install(self) -> None:
        """Wrap this manager's conftest importer (nothing happens on a pytest without it)."""
        original = self._original
        if original is None:
            return

        def importconftest(*args: Any, **kwargs: Any) -> Any:
            path = str(args[0] if args else kwargs.get("conftestpath", "?"))
            self._ledger.push(site_key(SiteKind.CONFTEST, path, self._tally))
            try:
                return original(*args, **kwargs)
            finally:
                closed = self._ledger.pop()
                self._tally.add_site(
                    closed, SiteKind.CONFTEST, path, self._ledger.open_keys()
                )

        self._manager._importconftest = importconftest

    def uninstall(self) -> None:
        """Put the manager's own method back."""
        if self._original is not None and "_importconftest" in vars(self._manager):
            del self._manager._importconftest
