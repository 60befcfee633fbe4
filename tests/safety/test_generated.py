"""Generated conftests (hypothesis): every one migrates, verifies with pytest and restores byte for byte.

Each example writes a random suite (see :mod:`tests.safety.generated`),
migrates it with the library and real pytest runs (``--full-run``: API and
every test's outcome compared), requires every test to have passed before,
then restores and compares the whole tree byte for byte.

Profiles: ``ci`` (default) runs 25 examples per layout (50 in all);
``SPLITTER_HYPOTHESIS_PROFILE=large`` runs 250 per layout (500).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from splitter.migrate.migration import MigrateResult, MigrateSettings, Outcome, prepare_migration, run_migration
from splitter.safety.restore import restore_migration
from tests.safety.conftest import QUIET_PYTEST, tree_state
from tests.safety.generated import Suite, render_conftest, render_tests, suites

settings.register_profile(
    "ci", max_examples=25, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("large", settings.get_profile("ci"), max_examples=250)
PROFILE = settings.get_profile(os.environ.get("SPLITTER_HYPOTHESIS_PROFILE", "ci"))


def write_suite(root: Path, suite: Suite, package: bool) -> Path:
    tests = root / "tests"
    tests.mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n")
    if package:
        (tests / "__init__.py").write_text("")
    (tests / "conftest.py").write_text(render_conftest(suite))
    (tests / "test_generated.py").write_text(render_tests(suite, "tests" if package else None))
    return tests / "conftest.py"


def explain(result: MigrateResult) -> str:
    failures = "\n".join(f"{f.label}: {f.tail}" for f in result.failures)
    return "\n".join(str(d) for d in result.differences[:20]) + failures


@pytest.mark.parametrize("package", [True, False], ids=["package", "no-package"])
@settings(PROFILE)
@given(suite=suites())
def test_generated_conftest_migrates_verifies_and_restores(
    tmp_path_factory: pytest.TempPathFactory, package: bool, suite: Suite
) -> None:
    root = tmp_path_factory.mktemp("generated") / "project"
    conftest = write_suite(root, suite, package)
    before = tree_state(root)
    migrate = MigrateSettings(conftest, measure=False, pytest_args=QUIET_PYTEST, subsets=())

    migration = prepare_migration(migrate)
    assert migration is not None, "a conftest with fixtures always has something to split"
    result = run_migration(migrate, migration)

    assert result.outcome is Outcome.MIGRATED, explain(result)
    assert result.before is not None and result.before.api.outcomes
    assert {outcome for _, outcome in result.before.api.outcomes} == {"passed"}
    restore_migration(conftest)
    assert tree_state(root) == before
