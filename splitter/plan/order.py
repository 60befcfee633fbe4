"""order: which statements must keep their relative order, or stay together (pure).

DESIGN.md, "Import-time semantics". After the split the root conftest runs its
statements in their original order, the eager modules run where the loader
imports them (``loader_position``) and the lazy ones at first use. So:

- **module state** (a name a non-import statement binds) that is changed after
  its first binding — rebound, changed in place, or deleted while the conftest
  is imported — keeps its binding, its changes and every import-time read of it
  together, in source order; a name some function rebinds through ``global``
  keeps every statement that touches it together, so there is one home that
  every reader sees (:func:`state_groups`). A statement whose effects are not
  modelled (a call at top level, a loop, a conditional block) is taken to change
  every name it reads. A function or class read at import time may run then: its
  body's effects count as the reader's. A change of ``B = A`` may be one of ``A``.
- **process state** (environment, ``sys.path``, whatever an imported module
  holds) is changed by the root's opaque statements and by imports kept for their
  side effect; a moved constant that reads the same attribute path below an
  imported name (``os.environ``) must not cross one of them (:func:`crosses_opaque`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence, Set

import libcst as cst

from splitter.analyze.classify import assignment_targets, block_statements
from splitter.analyze.effects import Effects
from splitter.model import Definition, Kind

# Statements whose import-time effects are not modelled name by name.
OPAQUE_KINDS = frozenset({Kind.SIDE_EFFECT, Kind.UNMOVABLE, Kind.CONDITIONAL})
# Statements that run when the root conftest is imported (function bodies run later).
EXECUTED_AT_IMPORT = frozenset(
    {Kind.SIDE_EFFECT, Kind.CONDITIONAL, Kind.UNMOVABLE, Kind.PYTEST_PLUGINS, Kind.CONSTANT}
)
# Moved statements whose import-time code may read process state (a ``def`` only runs its decorators).
VALUE_KINDS = frozenset({Kind.CONSTANT, Kind.CONDITIONAL})


def import_time_effects(
    definitions: Sequence[Definition],
    effects: Sequence[Effects],
    functions: Mapping[str, Collection[int]],
    unchangeable: Set[str],
) -> list[Effects]:
    """Each statement's import-time effects, with those of the local functions and
    classes it reads then (they may run then), and opaque statements changing what
    they read, ``unchangeable`` names aside (functions, immutable values)."""
    result = []
    for d, own in zip(definitions, effects):
        reads, mutates = set(own.reads), set(own.mutates)
        seen: set[int] = set()
        todo = [i for name in own.reads for i in functions.get(name, ())]
        while todo:
            index = todo.pop()
            if index in seen or index == d.index:
                continue
            seen.add(index)
            body = effects[index]
            reads |= body.runtime_reads | body.reads
            mutates |= body.runtime_mutates
            todo += [i for name in body.runtime_reads for i in functions.get(name, ())]
        if d.kind in OPAQUE_KINDS:
            mutates |= reads - unchangeable
        result.append(Effects(frozenset(reads), frozenset(mutates)))
    return result


def state_groups(
    definitions: Sequence[Definition],
    effects: Sequence[Effects],
    copied: Set[int],
    users: Mapping[str, Collection[int]],
    unchangeable: Set[str] = frozenset(),
) -> list[frozenset[int]]:
    """Groups of statements that must share one place (and keep their order there), see above.

    ``effects`` are :func:`import_time_effects`, except ``runtime_rebinds`` taken
    from the statements' own effects; ``users`` every statement reading a name.
    A change of ``B`` after ``B = A`` (or ``B = f(A)``) may be a change of ``A``:
    changes reach every name a value was made from, ``unchangeable`` ones aside.
    """
    binders: dict[str, set[int]] = {}
    for d in definitions:
        if d.index not in copied:
            for name in d.names:
                binders.setdefault(name, set()).add(d.index)
    sources = _alias_sources(definitions, effects, binders, unchangeable)
    changed = [_closure(e.mutates, sources) for e in effects]
    groups = []
    for name in sorted(binders):
        changers = {i for i, names in enumerate(changed) if name in names}
        rebinders = {i for i, e in enumerate(effects) if name in e.runtime_rebinds}
        members: set[int] = set()
        if len(binders[name]) > 1 or rebinders:
            members = binders[name] | rebinders | changers | set(users.get(name, ()))
        if len(binders[name]) > 1 or changers - binders[name]:
            members |= binders[name] | changers | {i for i, e in enumerate(effects) if name in e.reads}
        members -= copied
        if len(members) > 1:
            groups.append(frozenset(members))
    return groups


def _alias_sources(
    definitions: Sequence[Definition],
    effects: Sequence[Effects],
    binders: Mapping[str, Set[int]],
    unchangeable: Set[str],
) -> dict[str, set[str]]:
    """Per name, the module state its value may be (``B = A``, ``B = wrap(A)``).

    A class is no such source: calling it makes a new object.
    """
    classes = {
        name
        for name, where in binders.items()
        if all(isinstance(definitions[i].statement, cst.ClassDef) for i in where)
    }
    state = set(binders) - unchangeable - classes
    sources: dict[str, set[str]] = {}
    for name, where in binders.items():
        for index in where:
            if not isinstance(definitions[index].statement, (cst.FunctionDef, cst.ClassDef)):
                sources.setdefault(name, set()).update((effects[index].reads & state) - {name})
    return sources


def _closure(names: Set[str], sources: Mapping[str, Set[str]]) -> frozenset[str]:
    found = set(names)
    todo = list(names)
    while todo:
        for source in sources.get(todo.pop(), ()):
            if source not in found:
                found.add(source)
                todo.append(source)
    return frozenset(found)


def loader_position(definitions: Sequence[Definition], root: Set[int], eager_names: Set[str]) -> int:
    """Where the root conftest imports its eager modules: before the first root statement
    that runs at import and reads a name they bind (render puts the loader there)."""
    for d in definitions:
        if d.index in root and d.kind in EXECUTED_AT_IMPORT and set(d.uses) & eager_names:
            return d.index
    return len(definitions)


def changes_process_state(d: Definition) -> bool:
    """Whether ``d`` may change process state (environment, ``sys.path``…) at import:
    a top-level call, loop or assignment to an item or attribute, also inside a block."""
    if d.kind in (Kind.SIDE_EFFECT, Kind.UNMOVABLE):
        return True
    if d.kind is not Kind.CONDITIONAL:
        return False
    return any(
        isinstance(small, (cst.Del, cst.For, cst.While))
        or (isinstance(small, cst.Expr) and not isinstance(small.value, cst.BaseString))
        or (isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)) and assignment_targets(small) is None)
        for small in block_statements(d.statement)
    )


def state_paths(d: Definition) -> frozenset[str]:
    """The attribute paths below a name that ``d`` reads or calls (``os.environ`` of
    ``os.environ.get(…)``): process state is addressed by such paths, so
    ``logging.basicConfig()`` and ``logging.getLogger()`` touch different state, while
    ``os.environ.setdefault()`` and ``os.environ.get()`` touch the same."""
    return frozenset(path for path in d.reads if "." in path)


def crosses_opaque(d: Definition, runs_at: int, opaque: Mapping[int, Set[str] | None], reads: Set[str]) -> bool:
    """Whether moving ``d`` to run at ``runs_at`` moves it across an opaque root statement
    that touches process state ``d`` reads at import (``reads``: the :func:`state_paths`
    below imported names it reads). ``opaque`` maps each opaque root statement to its paths;
    ``None`` for an import kept for its side effect, which may touch anything."""
    if d.kind not in VALUE_KINDS or not reads:
        return False
    low, high = sorted((d.index, runs_at))
    return any(
        low <= i < high and (touched is None or touched & reads) for i, touched in opaque.items() if i != d.index
    )
