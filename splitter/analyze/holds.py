"""holds: which imports a measuring worker imports once for several modules (reads the disk).

A project's modules import each other: each of jupyterhub's test modules imports
``jupyterhub.app``, and nearly every module of it ``jupyterhub.orm``. Measured one by one
from the package, ``jupyterhub.app`` is imported again for each of them (4 s a time).
A worker can instead *hold* a module that several of them are certain to import (a child
that imports it once and stays) and fork the others from there: what each import loads
is the same set of modules, so each figure is the same, and the shared part is imported
once (docs/MEASURE.md, "Holding shared imports").

*Certain* is what a module's top level imports unconditionally (not under ``if``,
``try``, a function or a class) before any statement that could prepare an import (a
call, a block, ``os.environ[...] =``), read from its source with Python's own parser;
and what those import in turn; within the module's own top-level package (a worker
holds one) and for the project's modules (found on disk under its import roots). Parent
packages count: importing ``a.b.c`` imports ``a`` and ``a.b`` first. Other packages are
left out: holding them too (``pandas`` for the modules that import it) made the tree of
holders deeper and the jupyterhub measurement slower, not faster (measured). A module
whose holders fail to import is measured again from its package alone (see
:class:`splitter.analyze.measure.Worker`).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from splitter.files import find_module_file

Hold = tuple[str, ...]  # modules one holder imports, in order (it is named by the last)
Holds = tuple[Hold, ...]  # the holders, outermost first, below a worker's top-level package


READ_AT_MOST = 100  # source files read per measurement (jupyterhub's closure: 53; pandas': 1,000, 4 s)


def certain_imports(
    modules: Sequence[str], roots: Sequence[Path], read_at_most: int = READ_AT_MOST
) -> dict[str, frozenset[str]]:
    """For each module, the modules of its own top-level package that importing it is
    certain to import first (itself and the top-level package left out).

    Files are read breadth first from the modules to measure, at most ``read_at_most``:
    what is not read counts as importing nothing, which leaves a module's set smaller
    (fewer holders), never wrong."""
    direct: dict[str, frozenset[str]] = {}
    frontier = list(dict.fromkeys(modules))
    while frontier and read_at_most > 0:
        following: list[str] = []
        for module in frontier:
            if module in direct or read_at_most <= 0:
                continue
            found = _top_level_imports(module, roots)
            read_at_most -= found is not None
            direct[module] = found or frozenset()
            top = module.split(".")[0]
            following += [m for m in (*_ancestors(module), *direct[module]) if m.split(".")[0] == top]
        frontier = following

    def closure(module: str) -> frozenset[str]:
        top = module.split(".")[0]
        found: set[str] = set()
        pending = [module]
        while pending:
            current = pending.pop()
            for imported in (*_ancestors(current), *direct.get(current, ())):
                if imported not in found and imported.split(".")[0] == top:
                    found.add(imported)
                    pending.append(imported)
        return frozenset(found - {module, top})

    return {module: closure(module) for module in dict.fromkeys(modules)}


def measuring_order(modules: Sequence[str], required: Mapping[str, frozenset[str]]) -> list[tuple[str, Holds]]:
    """Each module with the holders to measure it below, ordered so that modules sharing
    holders come together (a depth-first walk of them).

    Greedy: below the holds so far, hold the module that most of the remaining ones need
    (a module being measured counts as needing itself), when at least two do; its own
    needs come first, since they are needed by everything that needs it. A hold where
    nothing is measured and nothing branches joins the next one: one process imports both
    (a fork costs a few tens of milliseconds).
    """
    order: list[tuple[str, tuple[str, ...]]] = []

    def place(group: list[str], path: tuple[str, ...], loaded: frozenset[str]) -> None:
        if path and path[-1] in group:
            order.append((path[-1], path))
            group = [m for m in group if m != path[-1]]
        while group:
            wanted = Counter(d for m in group for d in required.get(m, frozenset()) - loaded)
            wanted.update(m for m in group if m in wanted)  # measured right where it is held
            shared = [(count, -len(required.get(d, ())), d) for d, count in wanted.items() if count >= 2]
            if not shared:
                order.extend((m, path) for m in group)
                return
            held = max(shared, key=lambda s: (s[0], s[1], _reverse(s[2])))[2]
            below = [m for m in group if m == held or held in required.get(m, frozenset())]
            group = [m for m in group if m not in below]
            place(below, (*path, held), loaded | {held} | required.get(held, frozenset()))

    place(sorted(dict.fromkeys(modules)), (), frozenset())
    ends = {p for _, p in order}
    following: dict[tuple[str, ...], set[str]] = {}
    for _, p in order:
        for i in range(len(p)):
            following.setdefault(p[:i], set()).add(p[i])
    return [(module, _steps(path, ends, following)) for module, path in order]


def _steps(path: tuple[str, ...], ends: set[tuple[str, ...]], following: Mapping[tuple[str, ...], set[str]]) -> Holds:
    """``path`` cut into holders: a hold ends a holder where a module is measured right
    there (``ends``) or where the paths through it part (``following``)."""
    steps: list[Hold] = []
    pending: list[str] = []
    for i, module in enumerate(path):
        pending.append(module)
        prefix = path[: i + 1]
        if prefix in ends or len(following.get(prefix, ())) >= 2:
            steps.append(tuple(pending))
            pending = []
    return tuple(steps)


def _reverse(name: str) -> tuple[int, ...]:
    """A key that makes ``max`` pick the first name in sorted order among equals."""
    return tuple(-ord(c) for c in name)


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _top_level_imports(module: str, roots: Sequence[Path]) -> frozenset[str] | None:
    """The modules ``module``'s top level imports unconditionally, as absolute names (a
    ``from X import y`` also imports ``X.y`` where that is a module on disk); None when
    it is not one of the project's source files."""
    found = find_module_file(module, roots)
    if found is None:
        return None
    path, is_package = found
    try:
        tree = _parsed_head(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return frozenset()
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for statement in tree.body:
        if _may_prepare(statement):
            break  # what follows may need it (``matplotlib.use("Agg")``, ``sys.path.insert``)
        if isinstance(statement, ast.Import):
            names.update(alias.name for alias in statement.names)
        elif isinstance(statement, ast.ImportFrom) and statement.module != "__future__":
            base = _absolute(statement.module, statement.level, package)
            if base is None:
                continue
            names.add(base)
            source = find_module_file(base, roots)
            if source is not None and source[1]:  # only a package has submodules to import by name
                names.update(
                    candidate
                    for alias in statement.names
                    if alias.name != "*" and find_module_file(candidate := f"{base}.{alias.name}", roots) is not None
                )
    return frozenset(names)


def _parsed_head(source: bytes) -> ast.Module:
    """The module's statements up to its first top-level ``def``, ``class`` or decorator
    (found by Python's tokenizer), where its imports are; the whole module when that part
    does not parse on its own. Parsing sqlmesh's large modules whole made the reading,
    which runs before measuring starts, take 3.5 s."""
    lines = source.splitlines(keepends=True)
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            if token.start[1] == 0 and (
                (token.type == tokenize.NAME and token.string in ("def", "class", "async"))
                or (token.type == tokenize.OP and token.string == "@")
            ):
                try:
                    return ast.parse(b"".join(lines[: token.start[0] - 1]))
                except (SyntaxError, ValueError):
                    break
    except (tokenize.TokenError, SyntaxError):
        pass
    return ast.parse(source)


def _may_prepare(statement: ast.stmt) -> bool:
    """Whether a top-level statement may change what a later import does: a call, a block,
    an assignment to anything but a plain name (``os.environ["X"] = …``)."""
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return False  # a docstring
    if isinstance(statement, ast.Assign):
        return not all(isinstance(target, ast.Name) for target in statement.targets)
    if isinstance(statement, ast.AnnAssign):
        return not isinstance(statement.target, ast.Name)
    return True


def _absolute(name: str | None, level: int, package: str) -> str | None:
    if level == 0:
        return name
    parts = package.split(".") if package else []
    if level - 1 > len(parts) - 1 or not parts:
        return None
    base = ".".join(parts[: len(parts) - level + 1])
    return f"{base}.{name}" if name else base
