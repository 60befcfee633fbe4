"""Whether a fixture kept its body: the same body, up to the imports splitter moved into it.

The snapshot plugin fingerprints each implementation without the run of import
statements its body starts with (after the docstring) and records those apart,
with the identity of what each binds, plus the identity of every module-level
name the function reads. Two bodies are the same when

* the fingerprints without the leading imports are equal,
* the after's leading imports are the before's with statements inserted (the
  before's keep their order), and
* every name an inserted statement binds is a module-level name the before's
  function read, and the inserted import binds an object of the same identity.

That is exactly a heavy import moved from the top of the module into the body
that uses it. Nothing looser: any other statement added, removed or changed, an
import of the before's removed or reordered, an import binding a name the body
did not read, or binding another object, is a difference. A snapshot that did
not record local imports (schema 1) is compared as written.
"""

from __future__ import annotations

import ast

from splitter.verify.snapshot import FixtureDefinition, LocalImport

BEYOND_MOVED_IMPORTS = "body differs beyond the imports splitter moved into it"


def compared_as_written(*definitions: FixtureDefinition) -> bool:
    """Whether a snapshot of these did not record local imports (the old, exact contract)."""
    return any(d.local_imports is None for d in definitions)


def source_print(definition: FixtureDefinition, as_written: bool) -> str:
    """The fingerprint (docstring included) the contract compares."""
    return definition.exact_prints[0] if as_written else definition.fingerprint


def body_difference(before: FixtureDefinition, after: FixtureDefinition) -> str | None:
    """Why ``after``'s body is not ``before``'s (None: the same body)."""
    if compared_as_written(before, after):
        same = before.exact_prints[1] == after.exact_prints[1]
        return None if same else "body changed"
    old, new = before.local_imports or (), after.local_imports or ()
    if before.body_fingerprint != after.body_fingerprint:
        own = {i.statement for i in old}
        moved_in = any(i.statement not in own for i in new)
        return BEYOND_MOVED_IMPORTS if moved_in else "body changed"
    inserted = _inserted(old, new)
    if inserted is None:
        return f"body changed: it started with {_listed(old)}, now with {_listed(new)}"
    read = dict(before.globals_read)
    return next(
        (m for m in (_moved_import_problem(i, read) for i in inserted) if m), None
    )


def _inserted(
    old: tuple[LocalImport, ...], new: tuple[LocalImport, ...]
) -> tuple[LocalImport, ...] | None:
    """The statements of ``new`` that are not ``old``'s, when ``old`` is a subsequence of it."""
    kept, inserted = 0, []
    for statement in new:
        if kept < len(old) and statement.statement == old[kept].statement:
            kept += 1
        else:
            inserted.append(statement)
    return tuple(inserted) if kept == len(old) else None


def _moved_import_problem(moved: LocalImport, read: dict[str, str]) -> str | None:
    """Why an inserted import is not the module-level import it replaces (None: it is)."""
    shown = f"the moved import `{moved.statement}`"
    if moved.error is not None:
        return f"{shown} cannot be resolved: {moved.error}"
    names = bound_names(moved.statement)
    if names is None:
        return f"{shown} is not an import statement"
    for name in names:
        identity, was = moved.identity.get(name), read.get(name)
        if identity is None:
            return f"{shown} binds `{name}`, which could not be resolved"
        if was is None:
            return f"{shown} binds `{name}`, which the body did not read as a module-level name"
        if identity != was:
            return f"{shown} binds `{name}` to {identity}; the module-level `{name}` it read was {was}"
    return None


def bound_names(statement: str) -> tuple[str, ...] | None:
    """The names an import statement binds (None: not one import statement)."""
    try:
        (node,) = ast.parse(statement).body
    except (SyntaxError, ValueError):
        return None
    if isinstance(node, ast.Import):  # ``import a.b`` binds ``a``
        return tuple(a.asname or a.name.partition(".")[0] for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return tuple(a.asname or a.name for a in node.names)
    return None


def _listed(imports: tuple[LocalImport, ...]) -> str:
    return "; ".join(f"`{i.statement}`" for i in imports) or "no import"
