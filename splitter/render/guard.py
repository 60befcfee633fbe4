"""The guard in the generated loader: pytest itself says when the split changed under it (pure text).

At each pytest start the guard compares, with nothing but the standard library,
the fixtures the split modules define (decorators, required arguments, async,
generator) with what the root conftest registers: the names it imports from the
eager modules and the stubs of the lazy ones. A fixture the loader does not
register, a stub whose decorator or signature differs from its definition, a
stub whose fixture moved or vanished: one warning line naming the fixture and
``splitter sync``; a stale stub also fails the tests that set it up.

It stays off the hot path: the sizes and modification times of the loader and
the split modules are remembered after a clean check, so the modules are parsed
again only after one of them changed. The record goes to ``__pycache__`` beside
the loader or, under ``PYTHONDONTWRITEBYTECODE``, to a directory of this user in
the temp directory (``splitter-of-<uid>``, created 0o700 and used only while it
is a directory the user owns that nobody else can write to, as pytest does with
``pytest-of-<user>``); it is written to a fresh file made with ``O_EXCL``
(``tempfile.mkstemp``) and moved in place with ``os.replace``, so no name another
user can plant (a symlink) ever receives the write.

The guard parses the file it is in (``__file__``): the loader module, or the root
conftest of a split made by splitter 0.1.0, whose loader is inside the conftest.
"""

from __future__ import annotations

# Written as black writes it, so black leaves it as it is.
GUARD_IMPORTS = '''
import ast as _ast
import os as _os
import stat as _stat
import tempfile as _tempfile
import warnings as _warnings
import zlib as _zlib
'''

GUARD_CODE = '''
def _split_signature(function):
    """What a stub copies from a fixture function: decorators, required arguments, kind."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    required = positional[: len(positional) - len(arguments.defaults)]
    defaults = zip(arguments.kwonlyargs, arguments.kw_defaults)
    keyword = [a for a, default in defaults if default is None]
    scopes = (_ast.FunctionDef, _ast.AsyncFunctionDef, _ast.Lambda, _ast.ClassDef)
    nodes, generator = list(function.body), False
    while nodes:
        node = nodes.pop()
        if isinstance(node, (_ast.Yield, _ast.YieldFrom)):
            generator = True
        elif not isinstance(node, scopes):
            nodes.extend(_ast.iter_child_nodes(node))
    return (
        [_ast.dump(d) for d in function.decorator_list],
        [a.arg for a in required],
        [a.arg for a in keyword],
        isinstance(function, _ast.AsyncFunctionDef),
        generator,
    )


def _split_functions(path):
    """The top-level functions of a file, by name."""
    tree = _ast.parse(path.read_bytes())
    kinds = (_ast.FunctionDef, _ast.AsyncFunctionDef)
    return tree, {n.name: n for n in tree.body if isinstance(n, kinds)}


def _split_star_imports(tree):
    """Whether a module star-imports a fixture module: its fixtures are defined elsewhere."""
    return any(isinstance(n, _ast.ImportFrom) and n.names[0].name == "*" for n in tree.body)


def _split_stale(conftest, stems):
    """Fixtures the split modules define that this conftest does not register as they are."""
    root, functions = _split_functions(conftest)
    imported, table = {}, {}
    for node in root.body:
        target = getattr(node, "targets", [None])[0]
        if isinstance(node, _ast.ImportFrom) and node.module in stems:
            imported.update((a.asname or a.name, node.module) for a in node.names)
        elif getattr(target, "id", None) == "_LAZY_FIXTURES":
            table = _ast.literal_eval(node.value)
    stubs = {name: f for name, f in functions.items() if name in table}
    stale, defined, starred = {}, set(), set()
    for stem in stems:
        try:
            tree, module_functions = _split_functions(conftest.parent / f"{stem}.py")
        except SyntaxError as error:
            return {None: f"{stem}.py does not parse (line {error.lineno})"}
        if _split_star_imports(tree):
            starred.add(stem)
        for name, function in module_functions.items():
            decorators = [getattr(d, "func", d) for d in function.decorator_list]
            names = {getattr(d, "attr", getattr(d, "id", "")) for d in decorators}
            if "fixture" not in names:
                continue
            defined.add(name)
            where = f"fixture {name!r} in {stem}.py"
            if imported.get(name, table.get(name, stem)) != stem:
                stale[name] = f"{where} moved there from another module"
            elif name not in stubs and name not in imported:
                stale[name] = f"{where} is not registered"
            elif name in stubs:
                if _split_signature(function) != _split_signature(stubs[name]):
                    stale[name] = f"{where} changed its decorator or arguments"
    for name in set(stubs) - defined:
        if table[name] not in starred:
            stale[name] = f"fixture {name!r} is no longer in {table[name]}.py"
    return stale


def _split_guard(loader, stems):
    """:func:`_split_stale`, skipped while no file changed since the last clean check."""
    paths = [loader, *(loader.parent / f"{stem}.py" for stem in stems)]
    try:
        key = repr([(p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths])
    except OSError as error:
        return {None: f"{_os.path.basename(error.filename)} is missing"}
    record = _split_record(loader)
    try:
        if record is not None and record.read_text() == key:
            return {}
    except OSError:
        pass
    stale = _split_stale(loader, stems)
    if not stale and record is not None:
        _split_remember(record, key)
    return stale


def _split_record(loader):
    """Where the last clean check is remembered; None when there is no safe place."""
    if not _sys.dont_write_bytecode:
        return loader.parent / "__pycache__" / f"splitter-guard-{loader.stem}.txt"
    private = _split_private_directory()
    if private is None:
        return None
    return private / f"splitter-guard-{_zlib.crc32(str(loader).encode())}.txt"


def _split_private_directory():
    """This user's directory in the temp directory, or None if it is not one only they can use."""
    uid = _os.getuid() if hasattr(_os, "getuid") else None
    name = "splitter" if uid is None else f"splitter-of-{uid}"
    path = _Path(_tempfile.gettempdir()) / name
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = _os.lstat(path)
    except OSError:
        return None
    if not _stat.S_ISDIR(info.st_mode):  # a symlink, or a file
        return None
    if uid is not None and (info.st_uid != uid or info.st_mode & 0o077):
        return None
    return path


def _split_remember(record, key):
    """Write ``key`` to ``record`` through a new private file (O_EXCL) and an atomic rename."""
    try:
        record.parent.mkdir(exist_ok=True)
        handle, temporary = _tempfile.mkstemp(prefix=f".{record.name}.", dir=record.parent)
    except OSError:
        return
    try:
        with _os.fdopen(handle, "w") as file:
            file.write(key)
        _os.replace(temporary, record)
    except OSError:
        try:
            _os.unlink(temporary)
        except OSError:
            pass


def _split_message(stale, fix):
    """One line: the first problem, how many more, and the command that fixes them."""
    more = f" (and {len(stale) - 1} more)" if len(stale) > 1 else ""
    conftest = _os.path.join(_os.path.dirname(__file__), "conftest.py")
    command = f"splitter sync {_os.path.relpath(conftest)}"
    return f"splitter: {sorted(stale.values())[0]}{more}; run `{command}` to {fix}"


_SPLIT_STALE = _split_guard(
    _Path(__file__).resolve(),
    [name.rpartition(".")[2] for name in sorted(_SPLIT_MODULES)],
)
if _SPLIT_STALE:
    _warnings.warn(_split_message(_SPLIT_STALE, "update the loader"))
'''

GUARD = GUARD_IMPORTS + "\n\n" + GUARD_CODE  # a 0.1.0 split: imports and code in one piece
