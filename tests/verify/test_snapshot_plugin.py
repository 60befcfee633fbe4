"""The standalone snapshot plugin, run by pytest in a subprocess (pytester).

This file is the compatibility suite: CI runs it alone on pytest 7.4, 8.x and 9.x.
"""

from __future__ import annotations

import pytest

from splitter.verify.compare import DiffKind, compare
from splitter.verify.snapshot import LocalImport

CONFTEST = '''
    import pytest

    REGISTRY = {}

    @pytest.fixture(autouse=True)
    def auto():
        yield

    @pytest.fixture(scope="session", params=[1, 2], ids=["one", "two"])
    def number(request):
        """A number."""
        return request.param

    @pytest.fixture
    def data(number):
        REGISTRY["data"] = number
        return number

    @pytest.fixture
    def other_data():
        return REGISTRY

    @pytest.fixture
    def by_marker():
        return 1
'''


@pytest.fixture
def tree(pytester: pytest.Pytester) -> pytest.Pytester:
    """tests/ with a conftest and an overriding tests/unit/conftest.py; other/ outside."""
    pytester.makeini("[pytest]\n")
    pytester.makepyfile(
        **{
            "tests/__init__": "",
            "tests/conftest": CONFTEST,
            "tests/unit/__init__": "",
            "tests/unit/conftest": """
                import pytest

                @pytest.fixture
                def data(number):
                    return -number
            """,
            "tests/unit/test_a": """
                import pytest

                def test_x(data):
                    pass

                @pytest.mark.usefixtures("by_marker")
                def test_y(other_data):
                    pass
            """,
            "other/test_o": "def test_o():\n    pass\n",
        }
    )
    return pytester


def test_closure_and_autouse(tree, snapshot):
    api = snapshot()
    item = api.item["tests/unit/test_a.py::test_y"]
    assert {"auto", "by_marker", "other_data"} <= item.closure
    assert "auto" in item.autouse and "by_marker" not in item.autouse
    assert "auto" not in api.item["other/test_o.py::test_o"].closure


def test_override_chain_deepest_last_and_visibility(tree, snapshot):
    api = snapshot()
    chain = api.item["tests/unit/test_a.py::test_x[one]"].chain_of["data"]
    assert [api.definition[key].visible_from for key in chain] == [
        "tests/",
        "tests/unit/",
    ]
    assert "data" not in api.item["other/test_o.py::test_o"].chain_of


def test_scope_params_ids_autouse_argnames(tree, snapshot):
    definition = {d.argname: d for d in snapshot().definitions if d.baseid == "tests"}
    number, auto, data = definition["number"], definition["auto"], definition["data"]
    assert (number.scope, number.params, number.ids) == (
        "session",
        "(1, 2)",
        "('one', 'two')",
    )
    assert (auto.autouse, number.autouse, data.argnames) == (True, False, ("number",))
    assert number.has_docstring and number.location == "tests/conftest.py:9"


def test_rootdir_conftest_is_visible_everywhere(tree, snapshot):
    tree.makeconftest(
        "import pytest\n\n@pytest.fixture(autouse=True)\ndef everywhere():\n    pass\n"
    )
    api = snapshot()
    item = api.item["other/test_o.py::test_o"]
    assert "everywhere" in item.autouse
    assert api.definition[item.chain_of["everywhere"][0]].baseid == ""


def test_moving_a_fixture_into_an_imported_module_keeps_the_api(tree, snapshot):
    before = snapshot()
    number = CONFTEST[
        CONFTEST.index("    @pytest.fixture(scope") : CONFTEST.index(
            "    @pytest.fixture\n    def data"
        )
    ]
    tree.makepyfile(**{"tests/moved": "    import pytest\n" + number})
    moved = CONFTEST.replace(number, "").replace(
        "import pytest", "import pytest\n    from tests.moved import number"
    )
    tree.makepyfile(**{"tests/conftest": moved})
    assert compare(before, snapshot()) == ()


@pytest.mark.parametrize(
    ("edit", "kind", "message"),
    [
        pytest.param(
            ("return request.param", "return request.param + 1"),
            DiffKind.BODY,
            "body changed",
            id="body",
        ),
        pytest.param(
            ('"""A number."""\n        ', ""),
            DiffKind.DOCSTRING,
            "docstring lost",
            id="docstring",
        ),
    ],
)
def test_fingerprint_changes_with_body_or_docstring(
    tree, snapshot, edit, kind, message
):
    before = snapshot()
    tree.makepyfile(**{"tests/conftest": CONFTEST.replace(*edit)})
    differences = [d for d in compare(before, snapshot()) if d.fixture == "number"]
    assert differences and {d.kind for d in differences} == {kind}
    assert differences[0].message.startswith(message)


def test_importlib_mode_records_the_same_api(tree, snapshot):
    assert compare(snapshot(), snapshot("--import-mode=importlib")) == ()


def test_wrapped_fixture_is_fingerprinted_through_wrapped_chain(pytester, snapshot):
    pytester.makeconftest('''
        import functools
        import pytest

        def traced(function):
            @functools.wraps(function)
            def wrapper(*args, **kwargs):
                return function(*args, **kwargs)
            return wrapper

        @pytest.fixture
        @traced
        def wrapped():
            """Documented."""
            return 1
        ''')
    pytester.makepyfile(test_w="def test_w(wrapped):\n    pass\n")
    (definition,) = [d for d in snapshot().definitions if d.argname == "wrapped"]
    assert definition.location == "conftest.py:10" and definition.has_docstring


STUB = '''
    import importlib
    import pytest

    @pytest.fixture(scope="session")
    def db():
        """Stub."""
        return importlib.import_module("tests.impl").db.__wrapped__()

    db.__splitter_impl__ = {target!r}
'''
IMPL = '''
    import pytest

    @pytest.fixture(scope="session")
    def db():
        """The database."""
        return {"rows": []}
'''


@pytest.mark.parametrize("target", ["tests.impl:db", "tests/impl.py:db"])
def test_lazy_stub_is_fingerprinted_as_its_implementation(pytester, snapshot, target):
    pytester.makepyfile(
        **{
            "tests/__init__": "",
            "tests/conftest": IMPL,
            "tests/test_db": "def test_db(db): pass",
        }
    )
    reference = snapshot()
    pytester.makepyfile(
        **{"tests/impl": IMPL, "tests/conftest": STUB.format(target=target)}
    )
    stubbed = snapshot()
    assert compare(reference, stubbed) == ()
    assert {d.impl for d in stubbed.definitions if d.argname == "db"} == {target}


def test_unresolvable_stub_target_is_reported(pytester, snapshot):
    pytester.makepyfile(
        **{
            "tests/__init__": "",
            "tests/conftest": IMPL,
            "tests/test_db": "def test_db(db): pass",
        }
    )
    reference = snapshot()
    pytester.makepyfile(**{"tests/conftest": STUB.format(target="tests.gone:db")})
    (difference,) = compare(reference, snapshot())
    assert (
        difference.kind is DiffKind.STUB and "ModuleNotFoundError" in difference.message
    )


def test_shared_state_imports_and_collection_errors(tree, snapshot):
    tree.makepyfile(**{"tests/test_broken": "import not_a_module_anywhere\n"})
    api = snapshot(
        imports=(("tests.conftest", "REGISTRY"), ("tests.conftest", "Missing"))
    )
    group = [
        ("import:tests.conftest", "REGISTRY"),
        ("tests::data", "REGISTRY"),
        ("tests::other_data", "REGISTRY"),
    ]
    assert group in [list(g) for g in api.shared_state]
    assert [i.error is None for i in api.imports] == [True, False]
    assert [e.nodeid for e in api.collection_errors] == ["tests/test_broken.py"]


def test_outcomes_of_a_full_run(pytester, snapshot):
    pytester.makepyfile(test_outcomes="""
        import pytest

        @pytest.fixture
        def broken():
            raise RuntimeError

        def test_pass(): pass
        def test_fail(): assert False
        def test_error(broken): pass
        def test_skip(): pytest.skip()

        @pytest.mark.xfail
        def test_xfail(): assert False
        """)
    outcomes = dict(snapshot(mode="outcomes").outcomes or ())
    assert outcomes == {
        f"test_outcomes.py::test_{name}": outcome
        for name, outcome in [
            ("pass", "passed"),
            ("fail", "failed"),
            ("error", "error"),
            ("skip", "skipped"),
            ("xfail", "xfailed"),
        ]
    }


NAMESPACE_CONFTEST = """
    import os
    import pytest
    from helpers_plugin import shared_fixture

    FLAG = True
    VALUES = ["a", "b"]
    LIMITS = {"low": 1, "high": (2, 3.5)}
    HANDLE = object()

    class Helper:
        pass

    def helper():
        return 1

    @pytest.fixture
    def own():
        return 1

    def _make(value):
        return pytest.fixture(lambda: value)

    answer_fxt = _make(42)

    def __getattr__(name):
        if name == "LAZY":
            return "loaded late"
        raise AttributeError(name)

    def pytest_addoption(parser):
        parser.addoption("--db-url", default="sqlite://")
        parser.addini("service_timeout", "seconds")

    def pytest_configure(config):
        config.addinivalue_line("markers", "slow: a slow test")
"""


@pytest.fixture
def namespace_tree(pytester: pytest.Pytester) -> pytest.Pytester:
    """tests/conftest.py with data, a class, functions, fixtures (one a plugin's, one a lambda's)."""
    pytester.makeini("[pytest]\npythonpath = .\n")
    pytester.makepyfile(
        **{
            "helpers_plugin": """
                import pytest

                @pytest.fixture
                def shared_fixture():
                    return "shared"
            """,
            "tests/__init__": "",
            "tests/conftest": NAMESPACE_CONFTEST,
            "tests/test_n": """
                import pytest

                def test_n(own, shared_fixture, answer_fxt):
                    assert answer_fxt == 42

                @pytest.mark.undeclared
                def test_marked():
                    pass
            """,
        }
    )
    return pytester


def test_conftest_namespace_kinds_values_and_registered_fixtures(
    namespace_tree, snapshot
):
    api = snapshot(probes={"tests/conftest.py": ["LAZY", "NOT_THERE"]})
    namespace = api.namespace["tests/conftest.py"]
    shown = {name: str(entry) for name, entry in namespace.names}
    assert namespace.module == "tests.conftest"
    assert shown["FLAG"] == "True" and shown["VALUES"] == "['a', 'b']"
    assert shown["LIMITS"] == "{'low': 1, 'high': (2, 3.5)}"
    assert (shown["Helper"], shown["helper"], shown["own"]) == (
        "class Helper",
        "function helper",
        "fixture own",
    )
    assert (shown["HANDLE"], shown["os"]) == ("object object", "module os")
    assert shown["LAZY"] == "'loaded late'" and "NOT_THERE" not in shown
    assert set(namespace.fixtures) == {"own", "shared_fixture", "answer_fxt"}


def test_configuration_and_collection_warnings(namespace_tree, snapshot):
    configuration = snapshot().configuration
    assert configuration is not None
    assert "--db-url" in configuration.options
    assert "service_timeout" in configuration.ini
    assert "slow: a slow test" in configuration.markers
    assert "python" in configuration.plugins
    warnings = [str(w) for w in snapshot().warnings]
    assert any(
        w.startswith("PytestUnknownMarkWarning: Unknown pytest.mark.undeclared")
        for w in warnings
    ), warnings


def test_api_and_outcomes_in_one_run_and_a_rerun_of_some_tests(
    namespace_tree, snapshot
):
    api = snapshot(outcomes=True)
    assert len(api.items) == 2 and dict(api.outcomes or ()) == {
        "tests/test_n.py::test_n": "passed",
        "tests/test_n.py::test_marked": "passed",
    }
    rerun = snapshot(mode="outcomes", only=["tests/test_n.py::test_marked"])
    assert dict(rerun.outcomes or ()) == {"tests/test_n.py::test_marked": "passed"}


def test_an_unchanged_tree_compares_equal_with_reexported_and_twin_fixtures(
    namespace_tree, snapshot
):
    """A plugin fixture the conftest re-exports, and one fixture source in two test modules."""
    twin = "import pytest\n\n@pytest.fixture\ndef twin():\n    return 1\n\ndef test_t(): pass\n"
    namespace_tree.makepyfile(**{"tests/test_a": twin, "tests/test_b": twin})
    assert compare(snapshot(), snapshot()) == ()


def test_a_lost_ini_key_marker_and_conftest_name_are_differences(
    namespace_tree, snapshot
):
    before = snapshot()
    conftest = namespace_tree.path / "tests/conftest.py"
    text = conftest.read_text()
    for lost in (
        'parser.addini("service_timeout", "seconds")',
        'config.addinivalue_line("markers", "slow: a slow test")',
        "FLAG = True",
    ):
        text = text.replace(lost, "pass")
    conftest.write_text(text)
    messages = [d.message for d in compare(before, snapshot())]
    assert "ini key `service_timeout` no longer registered" in messages
    assert "marker `slow: a slow test` no longer registered" in messages
    assert "`conftest.FLAG` no longer exists (was True)" in messages


MOVED_FROM = '''
    import json
    import pickle

    import pytest

    from .models import User

    @pytest.fixture
    def frame():
        """A frame."""
        from textwrap import dedent
        return json.dumps(dedent("  x"))

    @pytest.fixture
    def user():
        return User()
'''
TOP_JSON = ("    import json\n    import pickle\n", "    import pickle\n")
TOP_USER = ("    from .models import User\n", "")
FRAME_DOC = '"""A frame."""\n'
USER_MOVED = ("return User()", "from .models import User\n        return User()")


def into_frame(*statements: str) -> tuple[str, str]:
    """An edit that puts statements at the start of frame's body, after its docstring."""
    return FRAME_DOC, FRAME_DOC + "".join(f"        {s}\n" for s in statements)


@pytest.fixture
def moved_tree(pytester: pytest.Pytester) -> pytest.Pytester:
    """A package whose conftest imports json and a project class at the top."""
    pytester.makeini("[pytest]\n")
    pytester.makepyfile(
        **{
            "tests/__init__": "",
            "tests/models": "class User:\n    pass\n",
            "tests/conftest": MOVED_FROM,
            "tests/test_f": "def test_f(frame, user):\n    pass\n",
        }
    )
    return pytester


def moved(*edits: tuple[str, str]) -> str:
    text = MOVED_FROM
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        pytest.param((TOP_JSON, into_frame("import json")), [], id="moved-before-the-own-import"),
        pytest.param((TOP_USER, USER_MOVED), [], id="relative-import-moved"),
        pytest.param(
            (into_frame("import pickle as json"),),
            ["the moved import `import pickle as json` binds `json` to module:pickle;"
             " the module-level `json` it read was module:json"],
            id="binds-another-object",
        ),
        pytest.param(
            (TOP_JSON, into_frame("import json", "print('moved')")),
            ["body differs beyond the imports splitter moved into it"],
            id="statement-added",
        ),
        pytest.param(
            (TOP_JSON, into_frame("import json"), ('dedent("  x")', 'dedent(" x")')),
            ["body differs beyond the imports splitter moved into it"],
            id="statement-changed",
        ),
        pytest.param(
            (into_frame("import pickle"),),
            ["the moved import `import pickle` binds `pickle`, which the body did not"
             " read as a module-level name"],
            id="binds-a-name-the-body-did-not-read",
        ),
        pytest.param(
            (("        from textwrap import dedent\n", "        from textwrap import indent as dedent\n"),),
            ["body changed: it started with `from textwrap import dedent`, now with"
             " `from textwrap import indent as dedent`"],
            id="own-import-changed",
        ),
    ],
)  # fmt: skip
def test_only_an_import_moved_into_the_body_keeps_it(
    moved_tree, snapshot, edits, expected
):
    before = snapshot()
    moved_tree.makepyfile(**{"tests/conftest": moved(*edits)})
    differences = compare(before, snapshot())
    assert [d.message.split(" (tests/")[0] for d in differences] == expected
    assert all(d.kind is DiffKind.BODY for d in differences)


def test_local_imports_and_the_globals_read_are_recorded(moved_tree, snapshot):
    moved_tree.makepyfile(**{"tests/conftest": moved(TOP_USER, USER_MOVED)})
    definition = {d.argname: d for d in snapshot().definitions}
    frame, user = definition["frame"], definition["user"]
    assert frame.local_imports == (
        LocalImport("from textwrap import dedent", (("dedent", "textwrap:dedent"),)),
    )
    assert ("json", "module:json") in frame.globals_read
    assert user.local_imports == (
        LocalImport("from .models import User", (("User", "tests.models:User"),)),
    )
    assert frame.exact_fingerprint != frame.fingerprint


SHARED_REGISTRY = """
    import pytest

    REGISTRY = {}

    @pytest.fixture
    def a():
        return REGISTRY

    @pytest.fixture
    def b():
        return REGISTRY
"""


def test_a_moved_import_of_a_copy_of_shared_state_is_caught(pytester, snapshot):
    """The copy has the same repr as the conftest's object: only its identity differs."""
    pytester.makepyfile(
        **{
            "tests/__init__": "",
            "tests/state": "REGISTRY = {}\n",
            "tests/conftest": SHARED_REGISTRY,
            "tests/test_s": "def test_s(a, b):\n    pass\n",
        }
    )
    before = snapshot()
    copied = ("def a():\n", "def a():\n        from .state import REGISTRY\n")
    pytester.makepyfile(**{"tests/conftest": SHARED_REGISTRY.replace(*copied)})
    assert [str(d) for d in compare(before, snapshot())] == [
        "REGISTRY: fixture a, fixture b no longer share one `REGISTRY` object"
        " (module-level state duplicated?)"
    ]


def test_a_run_whose_collection_already_differs_runs_no_test(namespace_tree, snapshot):
    """Fail fast: the closures of the run before say what collection must give; when it gives
    something else, the answer is known and no test runs (the collected API is still recorded)."""
    expected = {
        "tests/test_n.py::test_n": ["some_other_fixture"],
        "tests/test_n.py::test_marked": [],
    }
    api = snapshot(outcomes=True, closures=expected)
    assert api.stopped == "tests/test_n.py::test_n sees other fixtures than before the split"
    assert len(api.items) == 2 and dict(api.outcomes or ()) == {}


def test_a_run_stops_after_enough_changed_outcomes(pytester, snapshot):
    pytester.makepyfile(test_many="""
        import pytest

        @pytest.mark.parametrize("n", range(10))
        def test_n(n): assert False
        """)
    expected = {f"test_many.py::test_n[{n}]": "passed" for n in range(10)}
    api = snapshot(outcomes=True, expected=expected, stop_after=3)
    assert api.stopped == "3 tests changed outcome"
    assert len(dict(api.outcomes or ())) == 3


def test_a_run_stops_early_when_most_of_what_ran_changed_and_not_when_few_did(pytester, snapshot):
    """STOP_EARLY changed outcomes decide only when they are at least half of the tests run:
    one failing test in ten runs on to STOP_AFTER."""
    pytester.makepyfile(test_many="""
        import pytest

        @pytest.mark.parametrize("n", range(40))
        def test_n(n): assert n % 10 != 0
        """)
    expected = {f"test_many.py::test_n[{n}]": "passed" for n in range(40)}
    api = snapshot(outcomes=True, expected=expected, stop_after=30, stop_early=2)
    assert api.stopped is None and len(dict(api.outcomes or ())) == 40  # 4 of 40 changed: not most
    expected = {f"test_many.py::test_n[{n}]": "failed" for n in range(40)}
    api = snapshot(outcomes=True, expected=expected, stop_after=30, stop_early=3)
    assert api.stopped == "3 of the first 4 tests changed outcome"  # test_n[0] still fails
    assert len(dict(api.outcomes or ())) == 4


def test_definitions_are_read_as_collected_even_when_a_plugin_rewrites_them_at_setup(pytester, snapshot):
    """pytest-asyncio rewrites an async fixture's FixtureDef when it is first set up; the API
    read at the end of the session must not depend on which tests ran (issue 21, point 6)."""
    pytester.makeconftest("""
        import pytest

        @pytest.fixture
        def rewritten(request):
            return 1

        @pytest.hookimpl(tryfirst=True)
        def pytest_fixture_setup(fixturedef, request):
            if fixturedef.argname == "rewritten":
                original = fixturedef.func
                fixturedef.func = lambda **kwargs: original(request)
                fixturedef.argnames = ()
        """)
    pytester.makepyfile(test_r="def test_r(rewritten): assert rewritten == 1")
    collected = snapshot()
    ran = snapshot(outcomes=True)
    assert dict(ran.outcomes or ()) == {"test_r.py::test_r": "passed"}
    assert [d.argnames for d in ran.definitions if d.argname == "rewritten"] == [("request",)]
    assert ran.definitions == collected.definitions


def test_shared_state_is_what_the_code_reads_as_globals_not_attribute_names(pytester, snapshot):
    """``json.loads`` reads json's attribute, not the fixture ``loads`` of the
    conftest: two fixtures calling it share no ``loads`` object. Globals read from a nested
    comprehension or lambda, or rebound with ``global``, still count."""
    pytester.makeini("[pytest]\n")
    pytester.makepyfile(
        **{
            "tests/__init__": "",
            "tests/conftest": """
                import json

                import pytest

                REGISTRY = {}
                SEEN = []

                @pytest.fixture
                def loads():
                    return json.loads("[1]")

                @pytest.fixture
                def parsed():
                    return json.loads("[2]")

                @pytest.fixture
                def registered():
                    return [REGISTRY for _ in range(1)], (lambda: SEEN)()

                @pytest.fixture
                def rebinding():
                    global SEEN
                    SEEN = SEEN + [1]
            """,
            "tests/test_a": "def test_a(loads, parsed, registered, rebinding):\n    pass\n",
        }
    )
    api = snapshot()
    shared = {key: api.definition[key].shared_globals for key in api.definition if key.startswith("tests::")}
    assert shared == {
        "tests::loads": (),
        "tests::parsed": (),
        "tests::registered": ("REGISTRY", "SEEN"),
        "tests::rebinding": ("SEEN",),
    }
    assert [list(group) for group in api.shared_state] == [[("tests::rebinding", "SEEN"), ("tests::registered", "SEEN")]]


def test_values_that_change_on_every_run_are_compared_by_kind(pytester, snapshot):
    """Two runs of one unchanged tree: ``time.time()``, a uuid, a label read from it and a
    global a hook rebinds differ, and are no difference; a value the source fixes still is."""
    pytester.makeini("[pytest]\n")
    pytester.makepyfile(
        **{
            "tests/__init__": "",
            "tests/conftest": """
                import time
                import uuid

                STARTED = time.time()
                RUN_ID = uuid.uuid4().hex
                LABEL = f"run-{RUN_ID}"
                TIMEOUT = 30
                CONFIGURED = None

                def pytest_configure(config):
                    global CONFIGURED
                    CONFIGURED = time.time()
            """,
            "tests/test_a": "def test_a():\n    pass\n",
        }
    )
    before = snapshot()
    names = before.namespace["tests/conftest.py"].entry
    assert {n for n in ("STARTED", "RUN_ID", "LABEL", "TIMEOUT", "CONFIGURED") if names[n].computed} == {
        "STARTED", "RUN_ID", "LABEL", "CONFIGURED",
    }  # fmt: skip
    assert compare(before, snapshot()) == ()
    conftest = pytester.path / "tests/conftest.py"
    conftest.write_text(conftest.read_text().replace("TIMEOUT = 30", "TIMEOUT = 31"))
    assert [d.message for d in compare(before, snapshot())] == ["`conftest.TIMEOUT` is now 31 (was 30)"]
