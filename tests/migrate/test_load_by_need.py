"""Load by need: after a split, a run pays only for the heavy imports its tests need.

Real CLI migrations (import costs measured, as by default) and real pytest runs;
the modules a run loaded are read from ``sys.modules`` at the end of the session
(``tests/plugins/need_floor.py``).
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from splitter.analyze.analysis import AnalyzeSettings, analyze_file
from tests.conftest import run_cli
from tests.corpora import CORPUS
from tests.migrate.conftest import IGNORED
from tests.tiers import needed_modules, run_tier, tier_fixtures

HEAVY_MB = 1.0
# The planner loads fixtures whose imports cost less than ``lazy_from`` (MEDIUM, 5 MB)
# eagerly, at collection, by design: what the eager modules import below that is
# paid by every run and is not a load-by-need question.
EAGER_MB = 5.0


def eager_imports(tests: Path) -> set[str]:
    """The modules the split's eagerly loaded modules import."""
    found: set[str] = set()
    for stem in ("conftest_base", "conftest_mocks"):
        path = tests / f"{stem}.py"
        if path.is_file():
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
                elif isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
    return found


def migrated(corpus: str, target: Path) -> Path:
    """A copy of ``corpus`` at ``target``, split by the real CLI."""
    shutil.copytree(CORPUS / corpus, target, ignore=IGNORED)
    done = run_cli("migrate", "tests/conftest.py", "--yes", "--no-verify", cwd=target)
    assert done.returncode == 0, done.stdout + done.stderr
    return target


def tops(modules: frozenset[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_a_browser_test_does_not_pay_for_the_warehouse(tmp_path: Path) -> None:
    before = tmp_path / "before"
    shutil.copytree(CORPUS / "e2e_neighbours", before, ignore=IGNORED)
    after = migrated("e2e_neighbours", tmp_path / "after")

    _, unsplit = run_tier(before, "tests/e2e/test_browser.py")
    code, browser = run_tier(after, "tests/e2e/test_browser.py")
    _, warehouse = run_tier(after, "tests/e2e/test_warehouse.py")
    _, unit = run_tier(after, "tests/unit")

    assert code == 0
    assert {"httpx", "pandas"} <= tops(unsplit)  # before the split, every test paid for both
    assert "httpx" in tops(browser) and "pandas" not in tops(browser)
    # ``serve(request: httpx.Request)`` is annotated without ``from __future__ import
    # annotations``: its annotations run when it is defined, so ``import httpx`` stays at the
    # top of conftest_e2e and the warehouse test pays for it (docs/LAZY_UNITS.md).
    assert "pandas" in tops(warehouse)
    assert not {"httpx", "pandas"} & tops(unit)


def test_star_imported_fixture_modules_load_by_need(tmp_path: Path) -> None:
    """``from tests.fixtures.db import *`` in the conftest: unit tests import none of the
    fixture modules after the split, a database test only the database one."""
    before = tmp_path / "before"
    shutil.copytree(CORPUS / "star_fixture_modules", before, ignore=IGNORED)
    after = migrated("star_fixture_modules", tmp_path / "after")

    _, unsplit = run_tier(before, "tests/unit")
    code, unit = run_tier(after, "tests/unit")
    db_code, db = run_tier(after, "tests/integration/test_db.py")

    heavy = {"sqlalchemy", "fastapi", "pandas"}
    assert code == 0 and db_code == 0
    assert heavy <= tops(unsplit)  # before the split, the star imports ran at collection
    assert not heavy & tops(unit)
    assert not {"tests.fixtures.db", "tests.fixtures.api"} & unit
    # Both star imports live in conftest_services and run when it loads (docs/LAZY_UNITS.md,
    # "Known limits"): a database test pays for the api module too, unit tests for neither.
    assert "sqlalchemy" in tops(db)


@pytest.fixture(scope="module")
def monolith(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The monolith as shipped and split."""
    scratch = tmp_path_factory.mktemp("monolith")
    before = scratch / "before"
    shutil.copytree(CORPUS / "monolith", before, ignore=IGNORED)
    return before, migrated("monolith", scratch / "after")


@pytest.mark.parametrize("tier", ["tests/unit", "tests/db_only", "tests/integration", "tests/e2e"])
def test_each_tier_loads_no_heavy_module_it_does_not_need(monolith: tuple[Path, Path], tier: str) -> None:
    """Against the need floor: the same tier when the conftest imports only what
    the tier's test modules and fixtures' closures need (and passes that way)."""
    before, after = monolith
    conftest = before / "tests" / "conftest.py"
    need = needed_modules(conftest, tier, tier_fixtures(before, tier))
    floor_code, floor = run_tier(before, tier, need)
    code, loaded = run_tier(after, tier)
    assert floor_code == 0 and code == 0

    costs = analyze_file(conftest, AnalyzeSettings()).modules  # measured (cached by the migration)
    eager = eager_imports(after / "tests")
    heavy = {
        c.module
        for c in costs
        if (c.megabytes or 0.0) >= HEAVY_MB and not (c.module in eager and (c.megabytes or 0.0) < EAGER_MB)
    }
    extra = {m for m in loaded - floor if not m.startswith("tests.")}
    unneeded = sorted(m for m in extra if any(m == h or m.startswith(h + ".") for h in heavy))
    assert not unneeded, f"{tier} loaded heavy modules it does not need: {unneeded}"


def test_sync_refuses_a_star_import_that_can_no_longer_load_lazily(tmp_path: Path) -> None:
    """An edit to a star-imported fixture module that a stub cannot repeat (autouse)
    is refused by sync, naming the import, rather than stubbed without it."""
    after = migrated("star_fixture_modules", tmp_path / "after")
    db = after / "tests" / "fixtures" / "db.py"
    text = db.read_text(encoding="utf-8")
    db.write_text(text.replace('@pytest.fixture(scope="session")\ndef db_engine(', '@pytest.fixture(scope="session", autouse=True)\ndef db_engine(', 1), encoding="utf-8")
    before = {p.name: p.read_text(encoding="utf-8") for p in (after / "tests").glob("conftest*.py")}

    done = run_cli("sync", "tests/conftest.py", cwd=after)

    assert done.returncode == 2, done.stdout + done.stderr
    assert "from tests.fixtures.db import *" in done.stderr and "autouse" in done.stderr
    assert {p.name: p.read_text(encoding="utf-8") for p in (after / "tests").glob("conftest*.py")} == before
