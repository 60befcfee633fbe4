"""Deliberately broken hand-made splits of the corpora: ``splitter verify`` must catch each one.

Each case copies a corpus, records it with ``--save``, breaks the copy the way
a hand split goes wrong, and runs the real CLI with ``--against``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.verify.splits import copy_corpus, edit, move_fixtures


@pytest.fixture(scope="session")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``saved(corpus, *options)``: the snapshot of an untouched corpus copy, taken once."""
    cache: dict[tuple[str, ...], Path] = {}

    def save(corpus: str, *options: str) -> Path:
        if (corpus, *options) not in cache:
            base = tmp_path_factory.mktemp(f"saved-{corpus}")
            snapshot = base / "snapshot.json"
            result = run_cli(
                "verify",
                str(copy_corpus(corpus, base)),
                "--save",
                str(snapshot),
                *options,
            )
            assert result.returncode == 0, result.stdout + result.stderr
            cache[(corpus, *options)] = snapshot
        return cache[(corpus, *options)]

    return save


def leak_via_pytest_plugins(root: Path) -> None:
    conftest = root / "tests/conftest.py"
    move_fixtures(
        conftest,
        {"sample_data", "_reset_supervisor_env"},
        root / "tests/conftest_base.py",
        "tests.conftest",
    )
    edit(
        conftest,
        "\nimport asyncio\n",
        '\nimport asyncio\n\npytest_plugins = ["tests.conftest_base"]\n',
    )


def edit_definitions(root: Path) -> None:
    """Four single-definition mistakes in one tree: dropped, scope, params, docstring."""
    conftest = root / "tests/conftest.py"
    move_fixtures(
        conftest, {"auth_token_factory"}, root / "tests/dropped.txt", "tests.conftest"
    )
    edit(
        conftest,
        '(scope="session")\ndef common_test_user',
        '(scope="module")\ndef common_test_user',
    )
    edit(conftest, "params=[2, 8]", "params=[2, 9]")
    edit(
        conftest,
        '    """Canonical fixture data; sub-directories extend it (see tests/unit/conftest.py).\n\n'
        "    Plain Python on purpose: unit tests use it, and they must not pay for numpy.\n"
        '    """\n',
        "",
    )


def break_conftest_import(root: Path) -> None:
    move_fixtures(
        root / "tests/conftest.py",
        {"bearer_headers"},
        root / "tests/conftest_auth.py",
        "tests.conftest",
    )


def reorder_override_chain(root: Path) -> None:
    move_fixtures(
        root / "conftest.py",
        {"default_headers"},
        root / "conftest_overrides.py",
        "conftest",
    )
    edit(
        root / "conftest.py",
        '["helpers_plugin"]',
        '["conftest_overrides", "helpers_plugin"]',
    )


def duplicate_shared_global(root: Path) -> None:
    conftest, module = root / "tests/conftest.py", root / "tests/conftest_registry.py"
    move_fixtures(conftest, {"registry"}, module, "tests.conftest")
    edit(
        module,
        "from tests.conftest import REGISTRY",
        "REGISTRY = {}  # duplicated by the split",
    )
    edit(
        conftest,
        "\nimport pytest\n",
        "\nimport pytest\n\nfrom tests.conftest_registry import registry\n",
    )


def break_namespace_and_configuration(root: Path) -> None:
    """A changed constant, a name gone from the conftest, a lost marker and a lost option."""
    conftest = root / "tests/conftest.py"
    edit(conftest, "THROUGHPUT_MESSAGES = 200", "THROUGHPUT_MESSAGES = 201")
    log_format = '"%(asctime)s %(levelname)-7s [%(name)s] %(message)s"'
    edit(conftest, f"LOG_FORMAT = {log_format}\n", "")
    edit(conftest, "format=LOG_FORMAT)", f"format={log_format})")
    edit(conftest, '    "websocket": "tests that open websocket connections",\n', "")
    edit(conftest, '        "--e2e-users",\n', '        "--e2e-user-count",\n')


def break_a_helper_method(root: Path) -> None:
    """Only a test's outcome changes: a helper class no fixture fingerprint covers."""
    edit(root / "tests/conftest.py", '        REGISTRY[f"hub:{name}"] = service\n', "")


def move_uuid_import(statement: str) -> Callable[[Path], None]:
    """Put ``statement`` where the conftest's ``import uuid`` was used: package_namespace's body."""

    def move(root: Path) -> None:
        conftest = root / "tests/conftest.py"
        edit(conftest, "\nimport uuid\n", "\n")
        docstring = '    """A key prefix unique to the test package, for shared external stores."""\n'
        edit(conftest, docstring, f"{docstring}    {statement}\n")

    return move


BROKEN = [
    pytest.param(
        "monolith", leak_via_pytest_plugins, (),
        [
            "_reset_supervisor_env: now visible from other/ (was only tests/)",
            "_reset_supervisor_env: autouse fixture now applied (it was not)",
            "sample_data: now visible from other/ (was only tests/)",
        ],
        id="pytest_plugins-visibility-leak",
    ),
    pytest.param(
        "monolith", edit_definitions, (),
        [
            "auth_token_factory: no longer defined (was tests/conftest.py)",
            "common_test_user: scope session → module",
            "concurrent_user_contexts: params (2, 8) → (2, 9)",
            "sample_data: docstring lost (tests/conftest.py:",
        ],
        id="dropped-scope-params-docstring",
    ),
    pytest.param(
        "monolith", break_conftest_import, (),
        ["`from tests.conftest import bearer_headers` no longer imports (and 1 more files)",
         "test no longer collected — 42 tests", "`conftest.bearer_headers` no longer exists"],
        id="conftest-import-broken",
    ),
    pytest.param(
        "pytest_plugins_root", reorder_override_chain, (),
        ["default_headers: override chain reordered: helpers_plugin.py, conftest.py → conftest_overrides.py, helpers_plugin.py"],
        id="override-chain-reordered",
    ),
    pytest.param(
        "shared_state", duplicate_shared_global, ("--full-run",),
        ["fixture register, fixture registry no longer share one `REGISTRY` object", "outcome passed → failed"],
        id="shared-global-duplicated",
    ),
    pytest.param(
        "monolith", break_namespace_and_configuration, ("--no-outcomes",),
        [
            "`conftest.THROUGHPUT_MESSAGES` is now 201 (was 200)",
            "`conftest.LOG_FORMAT` no longer exists (was '%(asctime)s",
            "marker `websocket: tests that open websocket connections` no longer registered",
            "command-line option `--e2e-users` no longer registered",
            "command-line option `--e2e-user-count` now registered (it was not)",
        ],
        id="namespace-and-configuration",
    ),
    pytest.param(
        "shared_state", break_a_helper_method, (),
        ["tests/test_objects.py::test_hub_is_singleton: outcome passed → failed"],
        id="outcome-changed",
    ),
    pytest.param(
        "monolith", move_uuid_import("import pickle as uuid"), ("--no-outcomes",),
        ["package_namespace: the moved import `import pickle as uuid` binds `uuid` to"
         " module:pickle; the module-level `uuid` it read was module:uuid"],
        id="moved-import-binds-another-object",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("corpus", "breaking", "options", "expected"), BROKEN)
def test_verify_catches_a_broken_split(
    saved, tmp_path, corpus, breaking, options, expected
):
    snapshot = saved(corpus, *options)
    root = copy_corpus(corpus, tmp_path)
    breaking(root)
    result = run_cli("verify", str(root), "--against", str(snapshot), *options)
    assert result.returncode == 1, result.stdout + result.stderr
    for message in expected:
        assert message in result.stdout, result.stdout


def test_verify_passes_an_identical_tree(saved, tmp_path):
    root = copy_corpus("monolith", tmp_path)
    result = run_cli("verify", str(root), "--against", str(saved("monolith")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ fixture API unchanged" in result.stdout


def test_verify_passes_an_import_moved_into_the_body_that_uses_it(saved, tmp_path):
    root = copy_corpus("monolith", tmp_path)
    move_uuid_import("import uuid")(root)
    result = run_cli("verify", str(root), "--against", str(saved("monolith")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ fixture API unchanged" in result.stdout
