"""The generated loader (pure text): ``conftest_loader.py``, and the block of the root conftest that runs it.

Everything splitter generates lives in the loader module (DESIGN.md, "The shape
of the split"): the import finder, the staleness guard, the eager imports of the
split modules, a stub per lazily loaded fixture, and the ``conftest.X`` table.
The root conftest stays the user's file; splitter adds one short block to it
(:data:`ROOT_BLOCK`) that runs the loader module by file location — whatever the
import mode and whether ``tests/`` is a package — and binds what pytest must
find in the conftest's own namespace: every fixture, so pytest registers each
one from the conftest with the conftest's visibility, and the module
``__getattr__`` that finds the names that moved.

It needs nothing but pytest at test time. DESIGN.md ("The lazy loader") and
docs/LOADER.md record what was measured: the split modules are imported under
one canonical name — ``tests.conftest_base`` when ``tests/`` is a package, the
bare file name otherwise — by a small import finder that looks beside the
conftest and asks the other finders (pytest's assertion rewriter first) to load
them, so every pytest import mode finds them and assertion failures inside them
keep pytest's rich diffs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from splitter.analyze.split import BLOCK_FUNCTION, BLOCK_MARKER, EXPORTS, LOADER_STEM
from splitter.render.guard import GUARD_CODE
from splitter.render.imports import sibling_import

# The code below is written as black writes it (double quotes, magic trailing
# commas), so black leaves it as it is whatever the project's line length.


ROOT_BLOCK = f'''
{BLOCK_MARKER}, maintained by `splitter sync`. Runs {LOADER_STEM}.py,
# which loads the split modules, and binds their fixtures here (visibility kept).
def {BLOCK_FUNCTION}():
    import importlib.util
    import os
    import sys

    name = f"{{__package__}}.{LOADER_STEM}" if __package__ else "{LOADER_STEM}"
    path = os.path.join(os.path.dirname(__file__), "{LOADER_STEM}.py")
    spec = importlib.util.spec_from_file_location(name, path)
    sys.modules[name] = loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    return loader.{EXPORTS}


globals().update({BLOCK_FUNCTION}())
'''

_CONFTEST_NAME = '''
# The conftest's module name: this module's, without "_loader".
_CONFTEST = __name__[: -len("_loader")]
'''

_PACKAGE_PREFIX = '_SPLIT_PREFIX = f"{__package__}." if __package__ else ""'
_BARE_PREFIX = '_SPLIT_PREFIX = ""  # tests/ is not a package: the modules go by their file names'

# pytest 7.4's importlib mode adds the packages above a conftest to sys.modules only
# after the conftest ran, and the rootdir need not be on sys.path: without this,
# importing ``tests.conftest_base`` fails when pytest is run from another directory.
_PARENT_PACKAGES = '''
def _split_parent_packages(directory):
    """The packages above the split modules, imported, or stand-ins like pytest's own."""
    parts = __package__.split(".")
    directories = [directory, *directory.parents]
    for depth in range(1, len(parts) + 1):
        name = ".".join(parts[:depth])
        if name in _sys.modules:
            continue
        try:
            _importlib.import_module(name)
        except ImportError:
            package = _sys.modules[name] = _types.ModuleType(name)
            package.__path__ = [str(directories[len(parts) - depth])]
'''

_FINDER_CODE = '''
class _SplitModuleFinder:
    """Finds the split modules beside this conftest under their canonical names."""

    def __init__(self, directory, names):
        self.directory, self.names = directory, names

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        for finder in _sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(name, [self.directory], target)
                if spec is not None:
                    return spec
        return None


_FINDER = _SplitModuleFinder(str(_Path(__file__).resolve().parent), _SPLIT_MODULES)
if not any(getattr(f, "names", None) == _SPLIT_MODULES for f in _sys.meta_path):
{parents}    pytest.register_assert_rewrite(*sorted(_SPLIT_MODULES))
    _sys.meta_path.insert(0, _FINDER)
'''


def finder_imports(*, package: bool, importlib: bool) -> str:
    """The imports the finder needs (``importlib``: something is imported by name, on first use)."""
    imports = "import importlib as _importlib\n" if importlib or package else ""
    imports += "import sys as _sys\n"
    imports += "import types as _types\n" if package else ""
    return imports + "from pathlib import Path as _Path\n"


def render_finder(stems: Sequence[str], *, package: bool) -> str:
    """The finder that makes the split modules importable, registered once (its imports aside)."""
    rows = "".join(f'        "{stem}",\n' for stem in stems)
    if len(stems) == 1:  # a one-element tuple's comma is not magic: black joins the lines
        modules = f'_SPLIT_MODULES = frozenset(_SPLIT_PREFIX + stem for stem in ("{stems[0]}",))\n'
    else:
        modules = f"_SPLIT_MODULES = frozenset(\n    _SPLIT_PREFIX + stem\n    for stem in (\n{rows}    )\n)\n"
    prefix = _PACKAGE_PREFIX if package else _BARE_PREFIX
    register = "    _split_parent_packages(_Path(__file__).resolve().parent)\n" if package else ""
    parents = _PARENT_PACKAGES if package else ""
    return f"{prefix}\n{modules}\n\n{parents}\n\n" + _FINDER_CODE.format(parents=register)


_IMPORTS = """
import ast as _ast
import importlib as _importlib
import os as _os
import stat as _stat
import sys as _sys
import tempfile as _tempfile
{types}import warnings as _warnings
import zlib as _zlib
from pathlib import Path as _Path

import pytest
"""


def render_loader_module(
    *,
    stems: Sequence[str],
    eager: Mapping[str, Sequence[str]],
    imports: Sequence[str],
    lazy_names: Mapping[str, str],
    lazy_fixtures: Mapping[str, str],
    stubs: Sequence[str],
    exports: Sequence[str],
    package: bool,
    version: str,
    lazy_imports: Mapping[str, str] | None = None,
) -> str:
    """``conftest_loader.py`` (unformatted).

    ``eager``: per eagerly loaded module, the names imported from it at once (its
    fixtures, and what the stubs' decorators read); ``imports``: the other import
    lines the stubs' decorators need; ``lazy_names``: ``conftest.X`` name -> module;
    ``lazy_fixtures``: stubbed function -> module; ``stubs``: their sources;
    ``exports``: the names the root conftest binds (:data:`EXPORTS`).
    """
    parts = [_header(version), _IMPORTS.format(types="import types as _types\n" if package else "")]
    parts += [render_finder(stems, package=package), GUARD_CODE]
    loaded = [sibling_import(stem, names, relative=package) for stem, names in eager.items() if names]
    if loaded or imports:
        parts.append("# What the loader registers and the stubs' decorators read.\n" + "".join([*loaded, *imports]))
    if lazy_names or lazy_fixtures or lazy_imports:
        parts.append(SPLIT_IMPORT_CODE)
    if lazy_names or lazy_imports:
        lookup = render_lazy_names(lazy_names, conftest="_CONFTEST", importer=SPLIT_IMPORT, imports=lazy_imports or {})
        parts.append(_CONFTEST_NAME + lookup)
    if lazy_fixtures:
        parts.append(render_lazy_table(lazy_fixtures, importer=SPLIT_IMPORT))
        parts += stubs
    parts.append(render_exports(exports))
    return "\n\n".join(part.strip("\n") + "\n" for part in parts)


SPLIT_IMPORT = "_split_import"

# A module imported lazily runs under the warning filters in force when the conftest was
# imported, as it did when the conftest imported it: with ``filterwarnings = error``, an
# import-time warning that an earlier import had made a shown one (a library calling
# ``warnings.simplefilter("default", …)``) must not turn into an error at fixture setup.
SPLIT_IMPORT_CODE = '''
# The warning filters in force while the conftest is imported (after the eager modules).
_SPLIT_WARNING_FILTERS = list(_warnings.filters)


def _split_import(name):
    """Import a split module as the conftest would have: under the filters above."""
    if name in _sys.modules:
        return _sys.modules[name]
    with _warnings.catch_warnings():
        _warnings.filters[:] = _SPLIT_WARNING_FILTERS
        return _importlib.import_module(name)
'''


def _header(version: str) -> str:
    return f'''"""Generated by splitter {version}; do not edit: `splitter sync` rewrites this file.

The conftest.py beside it was split into the modules _SPLIT_MODULES lists.
Its generated block runs this module and binds {EXPORTS} in the conftest's own
namespace: every fixture of the split modules — the cheap modules' own fixtures,
imported at once, and a stub per fixture of a heavy module, which imports its
module the first time a test sets the fixture up — so pytest registers each one
from the conftest exactly as before (name, scope, params, overrides, visibility);
and a module __getattr__ that finds the names the conftest no longer defines.

After editing the split modules, run `splitter sync` on conftest.py (pytest warns
until then); `splitter restore` undoes the split. Needs nothing but pytest.
"""
'''


def render_exports(names: Sequence[str]) -> str:
    """What the root conftest binds in its namespace."""
    rows = "".join(f'    "{name}": {name},\n' for name in names)
    return f'''
# What conftest.py binds in its own namespace: every fixture, so pytest registers it
# from the conftest with the conftest's visibility, and __getattr__ for conftest.X.
{EXPORTS} = {{
{rows}}}
'''


def render_lazy_table(lazy: Mapping[str, str], importer: str = "_importlib.import_module") -> str:
    """The table of lazily loaded fixtures and the function their stubs call.

    ``importer``: what imports a module (the loader module's :data:`SPLIT_IMPORT`; a 0.1.0
    split's loader inside the root keeps ``importlib.import_module``).
    """
    rows = "".join(f'    "{name}": "{stem}",\n' for name, stem in lazy.items())
    return f'''
# Where each lazily loaded fixture is implemented (function name -> module).
_LAZY_FIXTURES = {{
{rows}}}


def _implementation(function_name):
    """The undecorated fixture function; imports its module on first use."""
    if function_name in _SPLIT_STALE:
        stale = {{function_name: _SPLIT_STALE[function_name]}}
        pytest.fail(_split_message(stale, "update its stub"), pytrace=False)
    module = {importer}(_SPLIT_PREFIX + _LAZY_FIXTURES[function_name])
    return getattr(module, function_name).__wrapped__
'''


def render_lazy_names(
    names: Mapping[str, str],
    conftest: str = "__name__",
    importer: str = "_importlib.import_module",
    imports: Mapping[str, str] | None = None,
) -> str:
    """A module ``__getattr__`` (PEP 562) that finds moved names in their split module.

    ``conftest.helper()`` and ``from tests.conftest import Helper`` keep working;
    a lazily loaded module is imported only when one of its names is asked for.
    ``conftest``: the expression naming the conftest module in the error message.
    ``imports``: names the conftest imported whose import moved into function bodies
    (``from numpy import pi`` → ``"numpy:pi"``), answered by importing them the same way;
    ``None`` (a 0.1.0 split's loader inside the root) writes 0.1.0's ``__getattr__``. The
    loader module always passes a table, so its ``__getattr__`` never changes with it.
    """
    rows = "".join(f'    "{name}": "{stem}",\n' for name, stem in names.items())
    table = f'''
# Names this conftest defined before the split and the module that has them now.
_LAZY_NAMES = {{
{rows}}}
'''
    if imports is not None:
        more = "".join(f'    "{name}": "{target}",\n' for name, target in imports.items())
        table += f'''
# Names the conftest imported whose import moved into the functions that read them
# ("module:attribute"; "module:" for the module itself).
_LAZY_IMPORTS = {{
{more}}}
'''
        lookup = f'''
    if name in _LAZY_IMPORTS:
        module, _, attribute = _LAZY_IMPORTS[name].partition(":")
        found = {importer}(module)
        if not attribute or hasattr(found, attribute):
            return getattr(found, attribute) if attribute else found
        return {importer}(f"{{module}}.{{attribute}}")'''
        return table + f'''

def __getattr__(name):
    """``conftest.X`` for a moved name: import its module the first time it is asked for."""
    if name in _LAZY_NAMES:
        return getattr({importer}(_SPLIT_PREFIX + _LAZY_NAMES[name]), name){lookup}
    raise AttributeError(f"module {{{conftest}!r}} has no attribute {{name!r}}")
'''
    return table + f'''

def __getattr__(name):
    """``conftest.X`` for a moved name: import its module the first time it is asked for."""
    if name not in _LAZY_NAMES:
        raise AttributeError(f"module {{{conftest}!r}} has no attribute {{name!r}}")
    return getattr({importer}(_SPLIT_PREFIX + _LAZY_NAMES[name]), name)
'''
