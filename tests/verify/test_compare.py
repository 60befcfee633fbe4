"""compare(): two hand-built snapshots in, readable differences out (pure, no pytest runs)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from splitter.verify.compare import DiffKind, compare
from splitter.verify.registration import registration_mismatches
from splitter.report.verification import group_differences
from splitter.verify.snapshot import (
    ApiSnapshot,
    CollectedItem,
    ConftestImport,
    ConftestNamespace,
    FixtureDefinition,
    LocalImport,
    Recording,
    api_from_plugin,
    api_to_json,
    recording_from_json,
    recording_to_json,
)

DATA = FixtureDefinition(
    key="tests::data", argname="data", baseid="tests", scope="function", params=None, ids=None,
    autouse=False, argnames=("number",), fingerprint="f1", body_fingerprint="b1", has_docstring=True,
    location="tests/conftest.py:5", shared_globals=("REGISTRY",),
)  # fmt: skip
UNIT_DATA = replace(
    DATA,
    key="tests/unit::data",
    baseid="tests/unit",
    fingerprint="f2",
    body_fingerprint="b2",
    location="tests/unit/conftest.py:3",
)
NUMBER = replace(
    DATA,
    key="tests::number",
    argname="number",
    scope="session",
    params="(1, 2)",
    argnames=(),
    fingerprint="f3",
    body_fingerprint="b3",
)
TEST = "tests/unit/test_a.py::test_x"


def item(
    nodeid: str = TEST,
    chain: tuple[str, ...] = ("tests::data", "tests/unit::data"),
    autouse: frozenset[str] = frozenset(),
) -> CollectedItem:
    chains = (("data", chain), ("number", ("tests::number",)))
    return CollectedItem(
        nodeid, frozenset({"data", "number"}) | autouse, autouse, chains
    )


def api(
    *definitions: FixtureDefinition,
    items: tuple[CollectedItem, ...] = (),
    **changes: object,
) -> ApiSnapshot:
    definitions = definitions or (DATA, UNIT_DATA, NUMBER)
    registry = tuple((d.argname, (d.key,)) for d in definitions)
    shared = ((("tests::data", "REGISTRY"), ("tests::number", "REGISTRY")),)
    snapshot = ApiSnapshot(
        "9.2.0",
        items or (item(), item("other/test_o.py::test_o", ())),
        definitions,
        registry,
        shared,
    )
    return replace(snapshot, **changes)


BEFORE = api(replace(NUMBER, shared_globals=("REGISTRY",)), DATA, UNIT_DATA)


@pytest.mark.parametrize(
    ("after", "kind", "message"),
    [
        pytest.param(
            api(replace(DATA, scope="module"), UNIT_DATA, NUMBER),
            DiffKind.SCOPE,
            "scope function → module",
            id="scope",
        ),
        pytest.param(
            api(DATA, UNIT_DATA, replace(NUMBER, params="(1, 3)")),
            DiffKind.PARAMS,
            "params (1, 2) → (1, 3)",
            id="params",
        ),
        pytest.param(
            api(DATA, UNIT_DATA, replace(NUMBER, ids="('a', 'b')")),
            DiffKind.IDS,
            "ids none → ('a', 'b')",
            id="ids",
        ),
        pytest.param(
            api(replace(DATA, argnames=()), UNIT_DATA, NUMBER),
            DiffKind.ARGNAMES,
            "argnames (number) → ()",
            id="argnames",
        ),
        pytest.param(
            api(replace(DATA, autouse=True), UNIT_DATA, NUMBER),
            DiffKind.AUTOUSE,
            "autouse no → yes",
            id="autouse",
        ),
        pytest.param(
            api(
                replace(DATA, fingerprint="x", body_fingerprint="y"), UNIT_DATA, NUMBER
            ),
            DiffKind.BODY,
            "body changed (tests/conftest.py:5)",
            id="body",
        ),
        pytest.param(
            api(replace(DATA, fingerprint="x", has_docstring=False), UNIT_DATA, NUMBER),
            DiffKind.DOCSTRING,
            "docstring lost (tests/conftest.py:5)",
            id="docstring-lost",
        ),
        pytest.param(
            api(replace(DATA, fingerprint="x"), UNIT_DATA, NUMBER),
            DiffKind.DOCSTRING,
            "docstring changed (tests/conftest.py:5)",
            id="docstring-changed",
        ),
        pytest.param(
            api(
                replace(DATA, impl="m:f", impl_error="ImportError: m"),
                UNIT_DATA,
                NUMBER,
            ),
            DiffKind.STUB,
            "lazy stub target m:f cannot be resolved: ImportError: m",
            id="stub",
        ),
    ],
)
def test_one_definition_change_gives_one_message(after, kind, message):
    differences = [d for d in compare(api(), after) if d.test == TEST]
    assert [(d.kind, d.fixture, d.message) for d in differences] == [
        (kind, differences[0].fixture, message)
    ]


def test_visibility_leak_names_the_directories_it_reaches():
    leaked = replace(DATA, key="::data", baseid="")
    after = api(
        leaked,
        UNIT_DATA,
        NUMBER,
        items=(
            item(chain=("::data", "tests/unit::data")),
            item("other/test_o.py::test_o", ()),
        ),
    )
    (difference,) = compare(api(), after)
    assert str(difference) == f"{TEST}: data: now visible from other/ (was only tests/)"


def test_reordered_chain():
    after = api(
        items=(
            item(chain=("tests/unit::data", "tests::data")),
            item("other/test_o.py::test_o", ()),
        )
    )
    (difference,) = compare(api(), after)
    assert difference.kind is DiffKind.CHAIN
    assert (
        difference.message
        == "override chain reordered: tests/conftest.py, tests/unit/conftest.py → tests/unit/conftest.py, tests/conftest.py"
    )


@pytest.mark.parametrize(
    ("after_item", "expected"),
    [
        pytest.param(
            None,
            [(DiffKind.NOT_COLLECTED, None, "test no longer collected")],
            id="not-collected",
        ),
        pytest.param(
            item(chain=("tests::data",)),
            [
                (
                    DiffKind.CHAIN,
                    "data",
                    "override chain changed: tests/conftest.py, tests/unit/conftest.py → tests/conftest.py",
                )
            ],
            id="override-dropped",
        ),
        pytest.param(
            item(chain=()),
            [
                (
                    DiffKind.NOT_DEFINED,
                    "data",
                    "no longer defined (was tests/conftest.py, tests/unit/conftest.py)",
                )
            ],
            id="undefined",
        ),
        pytest.param(
            item(autouse=frozenset({"auto"})),
            [(DiffKind.CLOSURE, "auto", "autouse fixture now applied (it was not)")],
            id="autouse-leak",
        ),
        pytest.param(
            replace(item(), closure=frozenset({"number"})),
            [(DiffKind.CLOSURE, "data", "missing from closure")],
            id="closure",
        ),
    ],
)
def test_item_level_changes(after_item, expected):
    items = (item("other/test_o.py::test_o", ()),) + (
        (after_item,) if after_item else ()
    )
    differences = compare(api(), api(items=items))
    assert [(d.kind, d.fixture, d.message) for d in differences] == expected


def test_duplicated_shared_state():
    (difference,) = compare(BEFORE, replace(BEFORE, shared_state=()))
    assert (
        difference.message
        == "fixture data, fixture number no longer share one `REGISTRY` object (module-level state duplicated?)"
    )


def test_state_shared_with_a_test_import_must_stay_one_object():
    imports = (ConftestImport("tests.conftest", "REGISTRY"),)
    before = api(
        imports=imports,
        shared_state=(
            (("import:tests.conftest", "REGISTRY"), ("tests::data", "REGISTRY")),
        ),
    )
    (difference,) = compare(before, replace(before, shared_state=()))
    assert difference.message.startswith(
        "`from tests.conftest import REGISTRY`, fixture data no longer share"
    )


def test_import_outcome_and_collection_error_differences():
    before = api(
        imports=(
            ConftestImport(
                "tests.conftest", "User", ("tests/test_a.py", "tests/test_b.py")
            ),
        ),
        outcomes=((TEST, "passed"),),
    )
    broken = replace(before.imports[0], error="ImportError: no User")
    after = replace(before, imports=(broken,), outcomes=((TEST, "failed"),))
    assert [str(d) for d in compare(before, after)] == [
        "tests/test_a.py: User: `from tests.conftest import User` no longer imports (and 1 more files): ImportError: no User",
        f"{TEST}: outcome passed → failed",
    ]


def test_identical_and_json_round_trip():
    snapshot = api(
        imports=(ConftestImport("tests.conftest", "User"),),
        outcomes=((TEST, "passed"),),
    )
    assert compare(snapshot, api_from_plugin(api_to_json(snapshot))) == ()


def test_report_groups_a_change_seen_by_many_tests():
    items = tuple(item(f"tests/unit/test_a.py::test_{n}") for n in range(3))
    before, after = api(items=items), api(
        replace(DATA, scope="module"), UNIT_DATA, NUMBER, items=items
    )
    (group,) = group_differences(compare(before, after))
    assert (
        str(group)
        == "data: scope function → module — 3 tests, e.g. tests/unit/test_a.py::test_0"
    )


def test_registration_cross_check_names_every_mismatch():
    registered = ConftestNamespace(
        "tests/conftest.py", "tests.conftest", (), ("own", "shared_fixture")
    )
    assert registration_mismatches(
        "tests/conftest.py", {"own", "ghost"}, registered
    ) == (
        "pytest registers fixture `shared_fixture` from tests/conftest.py, but analyze"
        " did not find it (the split may not keep it)",
        "analyze found fixture `ghost` in tests/conftest.py, but pytest does not"
        " register it from there",
    )
    assert registration_mismatches("tests/conftest.py", {"own"}, None) == ()
    assert registration_mismatches("tests/conftest.py", {"own"}, registered, kept={"shared_fixture"}) == ()


def test_one_function_registered_twice_pairs_each_registration_with_its_own():
    """A plugin fixture the conftest re-exports: the plugin's ('') and the conftest's ('tests')."""
    plugin = replace(DATA, key="::data", baseid="", location="plugin.py:3")
    reexported = replace(DATA, location="plugin.py:3")
    chain = item(chain=("::data", "tests::data"))
    snapshot = api(plugin, reexported, NUMBER, items=(chain,))
    assert compare(snapshot, snapshot) == ()


JSON = LocalImport("import json", (("json", "module:json"),))
OS = LocalImport("import os", (("os", "module:os"),))
SYS = LocalImport("import sys", (("sys", "module:sys"),))
RECORDED = replace(
    DATA, local_imports=(OS, SYS), globals_read=(("json", "module:json"),)
)


@pytest.mark.parametrize(
    ("imports", "message"),
    [
        pytest.param((JSON, OS, SYS), None, id="moved-first"),
        pytest.param((OS, JSON, SYS), None, id="moved-between"),
        pytest.param((SYS, OS), "body changed: it started with `import os`; `import sys`, now with `import sys`; `import os`", id="own-reordered"),
        pytest.param((OS,), "body changed: it started with `import os`; `import sys`, now with `import os`", id="own-dropped"),
        pytest.param((replace(JSON, binds=(), error="ImportError: json"), OS, SYS), "the moved import `import json` cannot be resolved: ImportError: json", id="unresolved"),
        pytest.param((replace(JSON, binds=()), OS, SYS), "the moved import `import json` binds `json`, which could not be resolved", id="not-resolved"),
        pytest.param((LocalImport("import json as js", (("js", "module:json"),)), OS, SYS), "the moved import `import json as js` binds `js`, which the body did not read as a module-level name", id="other-name"),
    ],
)  # fmt: skip
def test_the_body_may_only_gain_imports_of_what_it_read(imports, message):
    differences = compare(api(RECORDED), api(replace(RECORDED, local_imports=imports)))
    assert [d.message.removesuffix(" (tests/conftest.py:5)") for d in differences] == (
        [] if message is None else [message]
    )


def test_a_snapshot_without_local_imports_is_compared_as_written():
    """schema 1: its fingerprints kept the leading imports, and nothing else was recorded."""
    old = replace(DATA, fingerprint="exact", body_fingerprint="exact body")
    new = replace(
        RECORDED, fingerprint="stripped", body_fingerprint="stripped body",
        exact_fingerprint="exact", exact_body_fingerprint="exact body",
    )  # fmt: skip
    assert compare(api(old), api(new)) == compare(api(new), api(old)) == ()
    moved = replace(new, exact_fingerprint="moved", exact_body_fingerprint="moved body")
    assert [d.message for d in compare(api(old), api(moved))] == [
        "body changed (tests/conftest.py:5)"
    ]


def test_a_saved_schema_1_snapshot_still_reads():
    text = recording_to_json(Recording(api(RECORDED)))
    old = text.replace('"schema_version": 2', '"schema_version": 1')
    old = old.replace('"local_imports"', '"dropped_key"')
    definitions = recording_from_json(old, "old.json").api.definitions
    assert [d.local_imports for d in definitions] == [None]
    assert recording_from_json(text, "new.json").api.definitions[0] == RECORDED
