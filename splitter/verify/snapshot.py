"""The fixture API of a test tree (:class:`ApiSnapshot`) and a saved recording of it.

The snapshot plugin writes JSON inside the pytest run; :func:`api_from_plugin`
turns it into frozen dataclasses, and :class:`Recording` (API + measurements)
is what ``splitter verify --save`` writes and ``--against`` reads back.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from splitter.errors import UserError

# 2: the fingerprints leave out the imports a body starts with; local imports recorded
RECORDING_SCHEMA = 2
READABLE_RECORDING_SCHEMAS = frozenset({1, 2})  # 1 is compared as written (bodies.py)


@dataclass(frozen=True)
class LocalImport:
    """An import statement a fixture's body starts with (after its docstring), and what it binds."""

    statement: str  # normalized: ast.unparse
    binds: tuple[tuple[str, str], ...] = ()  # bound name -> identity of the object
    error: str | None = None  # why the statement could not be resolved

    @cached_property
    def identity(self) -> Mapping[str, str]:
        """The identity each name is bound to, when it was resolved."""
        return dict(self.binds)


@dataclass(frozen=True)
class FixtureDefinition:
    """One registered fixture definition, as the fixture API contract compares it."""

    key: str  # "<baseid>::<name>[#n]", unique within a snapshot, stable across trees
    argname: str
    baseid: str  # the nodeid prefix it is visible from; "" = everywhere
    scope: str
    params: str | None  # stable repr
    ids: str | None
    autouse: bool
    argnames: tuple[str, ...]
    fingerprint: str  # normalized source, docstring in, the body's leading imports out
    body_fingerprint: str  # the same without the docstring
    has_docstring: bool
    location: str = "?"  # file:line, for messages only — never compared
    impl: str | None = None  # the ``__splitter_impl__`` target of a lazy stub
    impl_error: str | None = None
    shared_globals: tuple[str, ...] = ()
    # The fingerprints with the leading imports left in; None: the same as without.
    exact_fingerprint: str | None = None
    exact_body_fingerprint: str | None = None
    # The imports the body starts with; None: not recorded (a schema 1 snapshot).
    local_imports: tuple[LocalImport, ...] | None = None
    globals_read: tuple[tuple[str, str], ...] = ()  # module-level name -> identity

    @property
    def exact_prints(self) -> tuple[str, str]:
        """(fingerprint, body fingerprint) of the source as written, its leading imports in."""
        return (
            self.exact_fingerprint or self.fingerprint,
            self.exact_body_fingerprint or self.body_fingerprint,
        )

    @property
    def visible_from(self) -> str:
        """The directory (or module) it is visible from, as a reader writes it."""
        return visibility_label(self.baseid)


@dataclass(frozen=True)
class CollectedItem:
    """One collected test and the fixtures it sees."""

    nodeid: str
    closure: frozenset[str]
    autouse: frozenset[str]
    chains: tuple[
        tuple[str, tuple[str, ...]], ...
    ]  # name -> definition keys, deepest last

    @cached_property
    def chain_of(self) -> Mapping[str, tuple[str, ...]]:
        """The resolution chain (definition keys) of each name."""
        return dict(self.chains)


@dataclass(frozen=True)
class ConftestImport:
    """``from <module> import <name>`` found in a test file, and whether it imports."""

    module: str
    name: str
    importers: tuple[str, ...] = ()
    error: str | None = None

    @property
    def statement(self) -> str:
        return f"from {self.module} import {self.name}"


@dataclass(frozen=True)
class CollectionError:
    nodeid: str
    error: str


@dataclass(frozen=True)
class NamespaceEntry:
    """One name of a conftest module: its kind and its value (plain data) or qualname."""

    kind: str  # data, module, class, fixture, function, object
    value: str
    imported: bool = False  # a function or class another module defines
    late: bool = False  # read after the tests ran (a lazily loaded name): its value is not comparable
    computed: bool = False  # data its module's source does not fix (the time, an id): may differ on every run

    def same_as(self, before: NamespaceEntry) -> bool:
        """Whether ``conftest.X`` gives the same kind of thing as ``before`` (where it was defined aside).

        Data read after the tests ran may hold what they added (objects too): that
        it is still there is what counts. Data whose value the source did not fix
        before (``STARTED = time.time()``) differs between two runs of one tree:
        it must still be data (docs/VERIFY.md, "Values that change on every run").
        """
        values = ("data", "object")
        if (self.late or before.late) and self.kind in values and before.kind in values:
            return True
        if before.computed and self.kind == before.kind == "data":
            return True
        return (self.kind, self.value) == (before.kind, before.value)

    def __str__(self) -> str:
        if self.kind == "data":
            return self.value
        return f"{self.kind} {self.value}"


@dataclass(frozen=True)
class ConftestNamespace:
    """What ``conftest.X`` gives for every name of one conftest module, and its fixtures."""

    path: str  # from the rootdir: "tests/conftest.py"
    module: str  # its ``__name__``
    names: tuple[tuple[str, NamespaceEntry], ...]
    fixtures: tuple[str, ...] = ()  # the fixtures pytest registered from this module

    @cached_property
    def entry(self) -> Mapping[str, NamespaceEntry]:
        """Entries by name."""
        return dict(self.names)


@dataclass(frozen=True)
class Configuration:
    """What pytest's configuration holds: options, ini keys, markers, plugins."""

    options: tuple[str, ...] = ()
    ini: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()


@dataclass(frozen=True)
class CollectionWarning:
    """A warning pytest recorded while configuring or collecting."""

    category: str
    message: str

    def __str__(self) -> str:
        return f"{self.category}: {self.message}"


@dataclass(frozen=True)
class ApiSnapshot:
    """Everything the fixture API contract compares, for one tree."""

    pytest_version: str
    items: tuple[CollectedItem, ...]
    definitions: tuple[FixtureDefinition, ...]
    registry: tuple[tuple[str, tuple[str, ...]], ...]  # every registered name -> keys
    shared_state: tuple[
        tuple[tuple[str, str], ...], ...
    ]  # groups of (key, global name)
    imports: tuple[ConftestImport, ...] = ()
    collection_errors: tuple[CollectionError, ...] = ()
    outcomes: tuple[tuple[str, str], ...] | None = (
        None  # nodeid -> outcome, when the tests ran
    )
    namespaces: tuple[ConftestNamespace, ...] = ()
    configuration: Configuration | None = None  # None: not recorded (an older snapshot)
    warnings: tuple[CollectionWarning, ...] = ()
    distributed: bool = False  # xdist ran the tests: the API needs a collect-only run
    stopped: str | None = None  # why a run after a split stopped early (fail fast), if it did

    @cached_property
    def namespace(self) -> Mapping[str, ConftestNamespace]:
        """Conftest namespaces by path from the rootdir."""
        return {n.path: n for n in self.namespaces}

    @cached_property
    def definition(self) -> Mapping[str, FixtureDefinition]:
        """Definitions by key."""
        return {d.key: d for d in self.definitions}

    @cached_property
    def item(self) -> Mapping[str, CollectedItem]:
        """Items by nodeid."""
        return {i.nodeid: i for i in self.items}


@dataclass(frozen=True)
class Measurement:
    """Peak RSS of the pytest process tree and wall time of one pytest run."""

    label: str  # "collect", "collect <subset>" or "run"
    peak_rss_bytes: int
    seconds: float


@dataclass(frozen=True)
class Recording:
    """What ``--save`` writes: the API of a tree plus how much collecting it cost."""

    api: ApiSnapshot
    measurements: tuple[Measurement, ...] = field(default=())
    splitter_version: str = ""

    def measurement(self, label: str) -> Measurement | None:
        """The measurement with this label, if it was taken."""
        return next((m for m in self.measurements if m.label == label), None)


def visibility_label(baseid: str) -> str:
    """'tests/' for a directory baseid, '<rootdir>' for the empty one."""
    if not baseid:
        return "<rootdir>"
    return baseid if "::" in baseid or baseid.endswith(".py") else baseid + "/"


# --- JSON --------------------------------------------------------------------


def api_from_plugin(data: Mapping[str, Any]) -> ApiSnapshot:
    """The snapshot the plugin wrote (mode "api"), as dataclasses."""
    definitions = tuple(
        _definition(key, record)
        for key, record in sorted(data.get("definitions", {}).items())
    )
    return ApiSnapshot(
        pytest_version=str(data.get("pytest_version", "")),
        items=tuple(_item(record) for record in data.get("items", [])),
        definitions=definitions,
        registry=tuple(
            (name, tuple(keys))
            for name, keys in sorted(data.get("registry", {}).items())
        ),
        shared_state=tuple(
            tuple((str(key), str(name)) for key, name in group)
            for group in data.get("shared_state", [])
        ),
        imports=tuple(_import(record) for record in data.get("imports", [])),
        collection_errors=tuple(
            CollectionError(str(e["nodeid"]), str(e["error"]))
            for e in data.get("collection_errors", [])
        ),
        outcomes=_outcomes(data.get("outcomes")),
        namespaces=tuple(
            _namespace(path, record)
            for path, record in sorted((data.get("namespaces") or {}).items())
        ),
        configuration=_configuration(data.get("configuration")),
        warnings=tuple(
            CollectionWarning(str(w["category"]), str(w["message"]))
            for w in data.get("warnings", [])
        ),
        distributed=bool(data.get("distributed")),
        stopped=str(data["stopped"]) if data.get("stopped") else None,
    )


def api_to_json(api: ApiSnapshot) -> dict[str, Any]:
    """The inverse of :func:`api_from_plugin`."""
    return {
        "pytest_version": api.pytest_version,
        "items": [
            {
                "nodeid": i.nodeid,
                "closure": sorted(i.closure),
                "autouse": sorted(i.autouse),
                "chains": {name: list(keys) for name, keys in i.chains},
            }
            for i in api.items
        ],
        "definitions": {d.key: _definition_json(d) for d in api.definitions},
        "registry": {name: list(keys) for name, keys in api.registry},
        "shared_state": [
            [list(member) for member in group] for group in api.shared_state
        ],
        "imports": [
            {
                "module": i.module,
                "name": i.name,
                "importers": list(i.importers),
                "error": i.error,
            }
            for i in api.imports
        ],
        "collection_errors": [
            {"nodeid": e.nodeid, "error": e.error} for e in api.collection_errors
        ],
        "outcomes": None if api.outcomes is None else dict(api.outcomes),
        "namespaces": {
            n.path: {
                "module": n.module,
                "names": {
                    name: {
                        "kind": e.kind, "value": e.value, "imported": e.imported,
                        "late": e.late, "computed": e.computed,
                    }  # fmt: skip
                    for name, e in n.names
                },
                "fixtures": list(n.fixtures),
            }
            for n in api.namespaces
        },
        "configuration": (
            None
            if api.configuration is None
            else {
                "options": list(api.configuration.options),
                "ini": list(api.configuration.ini),
                "markers": list(api.configuration.markers),
                "plugins": list(api.configuration.plugins),
            }
        ),
        "warnings": [
            {"category": w.category, "message": w.message} for w in api.warnings
        ],
        "distributed": api.distributed,
    }


def recording_to_json(recording: Recording) -> str:
    """The text of a saved snapshot file."""
    data = {
        "schema_version": RECORDING_SCHEMA,
        "splitter_version": recording.splitter_version,
        "measurements": [
            {"label": m.label, "peak_rss_bytes": m.peak_rss_bytes, "seconds": m.seconds}
            for m in recording.measurements
        ],
        "api": api_to_json(recording.api),
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def recording_from_json(text: str, source: str) -> Recording:
    """Parse a saved snapshot file; a clear UserError when it is not one."""
    try:
        data = json.loads(text)
        if data.get("schema_version") not in READABLE_RECORDING_SCHEMAS:
            raise ValueError(f"schema_version {data.get('schema_version')!r}")
        return Recording(
            api=api_from_plugin(data["api"]),
            measurements=tuple(
                Measurement(
                    str(m["label"]), int(m["peak_rss_bytes"]), float(m["seconds"])
                )
                for m in data.get("measurements", [])
            ),
            splitter_version=str(data.get("splitter_version", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError(f"{source} is not a splitter snapshot ({exc})") from exc


def _definition(key: str, r: Mapping[str, Any]) -> FixtureDefinition:
    return FixtureDefinition(
        key=key,
        argname=str(r["argname"]),
        baseid=str(r["baseid"]),
        scope=str(r["scope"]),
        params=r.get("params"),
        ids=r.get("ids"),
        autouse=bool(r.get("autouse")),
        argnames=tuple(r.get("argnames", ())),
        fingerprint=str(r["fingerprint"]),
        body_fingerprint=str(r.get("body_fingerprint", r["fingerprint"])),
        has_docstring=bool(r.get("has_docstring")),
        location=str(r.get("location", "?")),
        impl=r.get("impl"),
        impl_error=r.get("impl_error"),
        shared_globals=tuple(r.get("shared_globals", ())),
        exact_fingerprint=r.get("exact_fingerprint"),
        exact_body_fingerprint=r.get("exact_body_fingerprint"),
        local_imports=_local_imports(r.get("local_imports")),
        globals_read=tuple(sorted((r.get("globals_read") or {}).items())),
    )


def _local_imports(value: Any) -> tuple[LocalImport, ...] | None:
    if value is None:
        return None
    return tuple(
        LocalImport(
            str(i["statement"]),
            tuple(sorted((i.get("binds") or {}).items())),
            i.get("error"),
        )
        for i in value
    )


def _definition_json(d: FixtureDefinition) -> dict[str, Any]:
    record: dict[str, Any] = {
        "argname": d.argname,
        "baseid": d.baseid,
        "scope": d.scope,
        "params": d.params,
        "ids": d.ids,
        "autouse": d.autouse,
        "argnames": list(d.argnames),
        "fingerprint": d.fingerprint,
        "body_fingerprint": d.body_fingerprint,
        "has_docstring": d.has_docstring,
        "location": d.location,
        "impl": d.impl,
        "impl_error": d.impl_error,
        "shared_globals": list(d.shared_globals),
        "exact_fingerprint": d.exact_fingerprint,
        "exact_body_fingerprint": d.exact_body_fingerprint,
        "globals_read": dict(d.globals_read),
    }
    if d.local_imports is not None:
        record["local_imports"] = [
            {"statement": i.statement, "binds": dict(i.binds), "error": i.error}
            for i in d.local_imports
        ]
    return record


def _item(r: Mapping[str, Any]) -> CollectedItem:
    return CollectedItem(
        nodeid=str(r["nodeid"]),
        closure=frozenset(r.get("closure", ())),
        autouse=frozenset(r.get("autouse", ())),
        chains=tuple(
            (name, tuple(keys)) for name, keys in sorted(r.get("chains", {}).items())
        ),
    )


def _import(r: Mapping[str, Any]) -> ConftestImport:
    return ConftestImport(
        module=str(r["module"]),
        name=str(r["name"]),
        importers=tuple(r.get("importers", ())),
        error=r.get("error"),
    )


def _namespace(path: str, r: Mapping[str, Any]) -> ConftestNamespace:
    return ConftestNamespace(
        path=path,
        module=str(r.get("module", "")),
        names=tuple(
            (
                name,
                NamespaceEntry(
                    str(e["kind"]),
                    str(e["value"]),
                    bool(e.get("imported")),
                    bool(e.get("late")),
                    bool(e.get("computed")),
                ),
            )
            for name, e in sorted(r.get("names", {}).items())
        ),
        fixtures=tuple(r.get("fixtures", ())),
    )


def _configuration(value: Any) -> Configuration | None:
    if value is None:
        return None
    return Configuration(
        **{
            part: tuple(str(v) for v in value.get(part, ()))
            for part in ("options", "ini", "markers", "plugins")
        }
    )


def _outcomes(value: Any) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return None
    return tuple(sorted((str(k), str(v)) for k, v in value.items()))


def without_names(api: ApiSnapshot, path: str, names: Collection[str]) -> ApiSnapshot:
    """``api`` with ``names`` left out of the namespace of the conftest at ``path``."""
    namespaces = tuple(
        replace(n, names=tuple((name, e) for name, e in n.names if name not in names)) if n.path == path else n
        for n in api.namespaces
    )
    return replace(api, namespaces=namespaces)
