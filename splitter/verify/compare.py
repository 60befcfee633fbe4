"""Compare two fixture-API snapshots: pure, ordered, one readable message per difference.

The order follows the reader: collection errors, then each test in collection
order (collected? closure, autouse, then every fixture's chain and
definitions), then fixtures no test uses, shared module-level state, names
imported from conftest modules, the conftest modules' namespaces, pytest's
configuration, new collection warnings, and finally the tests' outcomes.
"""

from __future__ import annotations

import enum
import posixpath
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from splitter.verify.bodies import body_difference, compared_as_written, source_print
from splitter.verify.snapshot import (
    ApiSnapshot,
    CollectedItem,
    Configuration,
    FixtureDefinition,
)

IMPORT_PREFIX = (
    "import:"  # the plugin's prefix for shared-state members that are test imports
)


class DiffKind(str, enum.Enum):
    """What kind of change a :class:`Difference` is."""

    COLLECTION_ERROR = "collection_error"
    NOT_COLLECTED = "not_collected"
    NEWLY_COLLECTED = "newly_collected"
    CLOSURE = "closure"
    AUTOUSE = "autouse"
    NOT_DEFINED = "not_defined"
    CHAIN = "chain"
    VISIBILITY = "visibility"
    SCOPE = "scope"
    PARAMS = "params"
    IDS = "ids"
    ARGNAMES = "argnames"
    BODY = "body"
    DOCSTRING = "docstring"
    STUB = "stub"
    SHARED_STATE = "shared_state"
    IMPORT = "import"
    NAMESPACE = "namespace"
    CONFIGURATION = "configuration"
    WARNING = "warning"
    OUTCOME = "outcome"


@dataclass(frozen=True)
class Difference:
    """One way the fixture API changed: which test, which fixture, what."""

    kind: DiffKind
    test: str | None  # a nodeid, a file, or None for tree-wide changes
    fixture: str | None
    message: str

    def __str__(self) -> str:
        return ": ".join(
            part for part in (self.test, self.fixture, self.message) if part
        )


def compare(before: ApiSnapshot, after: ApiSnapshot) -> tuple[Difference, ...]:
    """Every difference between the fixture API of two trees, in reading order."""
    context = _Context(before, after)
    return (
        *_collection_errors(before, after),
        *_items(context),
        *_unused_fixtures(context),
        *_shared_state(before, after),
        *_imports(before, after),
        *namespace_differences(before, after),
        *configuration_differences(before.configuration, after.configuration),
        *_new_warnings(before, after),
        *_outcomes(before, after),
    )


@dataclass(frozen=True)
class _Context:
    before: ApiSnapshot
    after: ApiSnapshot

    def defs(
        self, snapshot: ApiSnapshot, keys: Iterable[str]
    ) -> tuple[FixtureDefinition, ...]:
        return tuple(snapshot.definition[k] for k in keys if k in snapshot.definition)

    @cached_property
    def test_dirs(self) -> tuple[str, ...]:
        """Directories holding collected tests, either tree."""
        nodeids = [i.nodeid for i in (*self.before.items, *self.after.items)]
        return tuple(sorted({posixpath.dirname(n.split("::")[0]) for n in nodeids}))


def _collection_errors(before: ApiSnapshot, after: ApiSnapshot) -> Iterator[Difference]:
    known = {e.nodeid for e in before.collection_errors}
    for error in after.collection_errors:
        if error.nodeid not in known:
            yield Difference(
                DiffKind.COLLECTION_ERROR,
                error.nodeid or "<session>",
                None,
                error.error,
            )


def _items(context: _Context) -> Iterator[Difference]:
    for item in context.before.items:
        now = context.after.item.get(item.nodeid)
        if now is None:
            yield Difference(
                DiffKind.NOT_COLLECTED, item.nodeid, None, "test no longer collected"
            )
        else:
            yield from _item(context, item, now)
    for item in context.after.items:
        if item.nodeid not in context.before.item:
            message = "test newly collected (it was not before)"
            yield Difference(DiffKind.NEWLY_COLLECTED, item.nodeid, None, message)


def _item(
    context: _Context, before: CollectedItem, after: CollectedItem
) -> Iterator[Difference]:
    test = before.nodeid
    lost_auto, new_auto = before.autouse - after.autouse, after.autouse - before.autouse
    for name in sorted(before.closure - after.closure):
        message = (
            "autouse fixture no longer applied"
            if name in lost_auto
            else "missing from closure"
        )
        yield Difference(DiffKind.CLOSURE, test, name, message)
    for name in sorted(after.closure - before.closure):
        message = (
            "autouse fixture now applied (it was not)"
            if name in new_auto
            else "added to closure"
        )
        yield Difference(DiffKind.CLOSURE, test, name, message)
    for name in sorted((lost_auto | new_auto) & before.closure & after.closure):
        message = (
            "now autouse for this test"
            if name in new_auto
            else "no longer autouse for this test"
        )
        yield Difference(DiffKind.AUTOUSE, test, name, message)
    for name in sorted(before.closure & after.closure):
        old = context.defs(context.before, before.chain_of.get(name, ()))
        new = context.defs(context.after, after.chain_of.get(name, ()))
        yield from chain_differences(test, name, old, new, context.test_dirs)


def chain_differences(
    test: str | None,
    name: str,
    before: Sequence[FixtureDefinition],
    after: Sequence[FixtureDefinition],
    test_dirs: Sequence[str] = (),
) -> Iterator[Difference]:
    """How the definitions a name resolves to changed (least specific first, winner last)."""
    if not before and not after:
        return
    if not after:
        yield Difference(
            DiffKind.NOT_DEFINED,
            test,
            name,
            f"no longer defined (was {_labels(before)})",
        )
        return
    if not before:
        yield Difference(
            DiffKind.NOT_DEFINED,
            test,
            name,
            f"now resolves to {_labels(after)} (was not defined)",
        )
        return
    as_written = compared_as_written(*before, *after)
    old_prints = [source_print(d, as_written) for d in before]
    new_prints = [source_print(d, as_written) for d in after]
    if old_prints != new_prints and Counter(old_prints) == Counter(new_prints):
        message = f"override chain reordered: {_labels(before)} → {_labels(after)}"
        yield Difference(DiffKind.CHAIN, test, name, message)
    elif len(before) != len(after):
        message = f"override chain changed: {_labels(before)} → {_labels(after)}"
        yield Difference(DiffKind.CHAIN, test, name, message)
    for old, new in _pairs(old_prints, new_prints, before, after):
        yield from definition_differences(test, name, old, new, test_dirs)


def _pairs(
    old_prints: Sequence[str],
    new_prints: Sequence[str],
    before: Sequence[FixtureDefinition],
    after: Sequence[FixtureDefinition],
) -> list[tuple[FixtureDefinition, FixtureDefinition]]:
    """Which definitions to compare: position by position when the chain kept its shape,
    else those with the same source (a reordered or shortened chain), else the winners.
    """
    if len(before) == len(after) and Counter(old_prints) != Counter(new_prints):
        return list(zip(before, after))
    unmatched = list(range(len(after)))
    matched = []
    for old, print_ in zip(before, old_prints):
        same_source = [n for n in unmatched if new_prints[n] == print_]
        # one function registered twice (a plugin's, re-exported) pairs by place
        if same_source:
            new = next(
                (n for n in same_source if after[n].baseid == old.baseid),
                same_source[0],
            )
            unmatched.remove(new)
            matched.append((old, after[new]))
    return matched or [(before[-1], after[-1])]


def definition_differences(
    test: str | None,
    name: str,
    before: FixtureDefinition,
    after: FixtureDefinition,
    test_dirs: Sequence[str] = (),
) -> Iterator[Difference]:
    """How one definition changed: visibility, scope, params, ids, autouse, argnames, source."""
    if before.baseid != after.baseid:
        yield Difference(
            DiffKind.VISIBILITY, test, name, _visibility(before, after, test_dirs)
        )
    for kind, label, old, new in (
        (DiffKind.SCOPE, "scope", before.scope, after.scope),
        (DiffKind.PARAMS, "params", before.params, after.params),
        (DiffKind.IDS, "ids", before.ids, after.ids),
        (DiffKind.AUTOUSE, "autouse", before.autouse, after.autouse),
        (
            DiffKind.ARGNAMES,
            "argnames",
            _names(before.argnames),
            _names(after.argnames),
        ),
    ):
        if old != new:
            yield Difference(kind, test, name, f"{label} {_show(old)} → {_show(new)}")
    if after.impl_error and after.impl_error != before.impl_error:
        message = (
            f"lazy stub target {after.impl} cannot be resolved: {after.impl_error}"
        )
        yield Difference(DiffKind.STUB, test, name, message)
    else:
        yield from _source_difference(test, name, before, after)


def _source_difference(
    test: str | None, name: str, before: FixtureDefinition, after: FixtureDefinition
) -> Iterator[Difference]:
    """The body's difference (bodies.py), else the docstring's, if any."""
    body = body_difference(before, after)
    as_written = compared_as_written(before, after)
    if body is not None:
        yield Difference(DiffKind.BODY, test, name, f"{body} ({after.location})")
    elif source_print(before, as_written) != source_print(after, as_written):
        yield _docstring_difference(test, name, before, after)


def _docstring_difference(
    test: str | None, name: str, before: FixtureDefinition, after: FixtureDefinition
) -> Difference:
    if before.has_docstring and not after.has_docstring:
        return Difference(
            DiffKind.DOCSTRING, test, name, f"docstring lost ({after.location})"
        )
    verb = "added" if not before.has_docstring else "changed"
    return Difference(
        DiffKind.DOCSTRING, test, name, f"docstring {verb} ({after.location})"
    )


def _visibility(
    before: FixtureDefinition, after: FixtureDefinition, test_dirs: Sequence[str]
) -> str:
    reached = [
        d for d in test_dirs if _sees(after.baseid, d) and not _sees(before.baseid, d)
    ]
    if reached:
        shown = ", ".join(f"{d}/" if d else "<rootdir>" for d in reached)
        return f"now visible from {shown} (was only {before.visible_from})"
    return f"visible from {after.visible_from} (was {before.visible_from})"


def _sees(baseid: str, directory: str) -> bool:
    """Whether a definition with this baseid is visible to tests in the directory."""
    return not baseid or directory == baseid or directory.startswith(baseid + "/")


def _unused_fixtures(context: _Context) -> Iterator[Difference]:
    """Definitions no test used before still registered the same way (catches silent leaks)."""
    used = {name for item in context.before.items for name in item.closure}
    after = dict(context.after.registry)
    for name, keys in context.before.registry:
        if name not in used:
            old = context.defs(context.before, keys)
            new = context.defs(context.after, after.get(name, ()))
            yield from chain_differences(None, name, old, new, context.test_dirs)


def _shared_state(before: ApiSnapshot, after: ApiSnapshot) -> Iterator[Difference]:
    """Module-level objects several fixtures (or a fixture and a test import) shared must stay one."""
    group_of = {
        member: index
        for index, group in enumerate(after.shared_state)
        for member in group
    }
    for group in before.shared_state:
        present = [member for member in group if _still_uses(after, *member)]
        if len({group_of.get(member, member) for member in present}) > 1:
            users = ", ".join(
                sorted({_user(after, key, name) for key, name in present})
            )
            name = group[0][1]
            message = f"{users} no longer share one `{name}` object (module-level state duplicated?)"
            yield Difference(DiffKind.SHARED_STATE, None, name, message)


def _still_uses(snapshot: ApiSnapshot, key: str, name: str) -> bool:
    if key.startswith(IMPORT_PREFIX):
        module = key.removeprefix(IMPORT_PREFIX)
        return any(
            i.module == module and i.name == name and i.error is None
            for i in snapshot.imports
        )
    return (
        key in snapshot.definition and name in snapshot.definition[key].shared_globals
    )


def _user(snapshot: ApiSnapshot, key: str, name: str) -> str:
    if key.startswith(IMPORT_PREFIX):
        return f"`from {key.removeprefix(IMPORT_PREFIX)} import {name}`"
    return f"fixture {snapshot.definition[key].argname}"


def _imports(before: ApiSnapshot, after: ApiSnapshot) -> Iterator[Difference]:
    now = {(i.module, i.name): i for i in after.imports}
    for old in before.imports:
        new = now.get((old.module, old.name))
        if old.error is None and new is not None and new.error is not None:
            where = old.importers[0] if old.importers else None
            more = (
                f" (and {len(old.importers) - 1} more files)"
                if len(old.importers) > 1
                else ""
            )
            message = f"`{old.statement}` no longer imports{more}: {new.error}"
            yield Difference(DiffKind.IMPORT, where, old.name, message)


# The names splitter's generated code binds in a conftest: the root's block
# (render/loader.py), and the loader a split made by splitter 0.1.0 keeps in the root
# (its tables, finder, guard and ``_implementation``). A migration into a split tree, a
# sync or moving a 0.1.0 split to today's shape rewrites them; they are not names of the
# user's conftest.
LOADER_TABLES = frozenset(
    {"_LAZY_FIXTURES", "_LAZY_NAMES", "_SPLIT_MODULES", "_SPLIT_PREFIX", "_SPLIT_STALE", "_load_split"}
    | {"_SplitModuleFinder", "_FINDER", "_implementation", "_split_parent_packages"}
    | {"_split_signature", "_split_functions", "_split_star_imports", "_split_stale", "_split_guard"}
    | {"_split_message", "_split_record", "_split_private_directory", "_split_remember"}
)


def namespace_differences(
    before: ApiSnapshot, after: ApiSnapshot
) -> Iterator[Difference]:
    """Every ``conftest.X`` of before still there: data equal, functions and classes the same kind and qualname.

    Imported modules (``conftest.os``) and functions or classes another module
    defines (``conftest.Any``) are not part of the contract: tests reach them
    where they are defined. Nor is ``TYPE_CHECKING`` (always False at run time): a
    split module may import it for the imports it moved into bodies, and the loader's
    table leaves it out (render/modules.py, ``moved_names``).
    """
    for old in before.namespaces:
        new = after.namespace.get(old.path)
        if new is None:
            message = "conftest module no longer loaded"
            yield Difference(DiffKind.NAMESPACE, old.path, None, message)
            continue
        for name, was in old.names:
            now = new.entry.get(name)
            if was.kind == "module" or was.imported or name in LOADER_TABLES or name == "TYPE_CHECKING":
                continue
            if now and now.same_as(was):
                continue
            attribute = f"`{_dotted(old.module, name)}`"
            message = (
                f"{attribute} no longer exists (was {was})"
                if now is None
                else f"{attribute} is now {now} (was {was})"
            )
            yield Difference(DiffKind.NAMESPACE, old.path, None, message)


def _dotted(module: str, name: str) -> str:
    return f"{module.rpartition('.')[2] or 'conftest'}.{name}"


CONFIGURATION_PARTS = (
    ("options", "command-line option"),
    ("ini", "ini key"),
    ("markers", "marker"),
    ("plugins", "plugin"),
)


def configuration_differences(
    before: Configuration | None, after: Configuration | None
) -> Iterator[Difference]:
    """Options, ini keys, markers and plugins registered before and not after, or the reverse."""
    if before is None or after is None:
        return
    for part, label in CONFIGURATION_PARTS:
        old, new = set(getattr(before, part)), set(getattr(after, part))
        for value in sorted(old - new):
            message = f"{label} `{value}` no longer registered"
            yield Difference(DiffKind.CONFIGURATION, None, None, message)
        for value in sorted(new - old):
            message = f"{label} `{value}` now registered (it was not)"
            yield Difference(DiffKind.CONFIGURATION, None, None, message)


def _new_warnings(before: ApiSnapshot, after: ApiSnapshot) -> Iterator[Difference]:
    """Warnings configuration or collection gives now and did not give before."""
    if before.configuration is None:  # an older snapshot recorded no warnings
        return
    new = Counter(after.warnings) - Counter(before.warnings)
    for warning in sorted(new, key=str):
        message = f"new warning while collecting: {warning}"
        yield Difference(DiffKind.WARNING, None, None, message)


def _outcomes(before: ApiSnapshot, after: ApiSnapshot) -> Iterator[Difference]:
    if before.outcomes is None or after.outcomes is None:
        return
    now = dict(after.outcomes)
    for nodeid, outcome in before.outcomes:
        if after.stopped and nodeid not in now:
            continue  # the run stopped early (fail fast): what did not run is not a difference
        result = now.get(nodeid, "not run")
        if result != outcome:
            yield Difference(
                DiffKind.OUTCOME, nodeid, None, f"outcome {outcome} → {result}"
            )


def _labels(definitions: Sequence[FixtureDefinition]) -> str:
    return ", ".join(d.location.rsplit(":", 1)[0] for d in definitions)


def _names(names: Sequence[str]) -> str:
    return "(" + ", ".join(names) + ")"


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
