"""Holding what several measured modules are certain to import: the same figures, imported once."""

from __future__ import annotations

from pathlib import Path

from splitter.analyze.holds import certain_imports, measuring_order
from splitter.analyze.measure import MeasureSettings, Schedule, measure_modules


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_certain_imports_are_the_top_level_imports_before_anything_that_may_prepare_one(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": '"""The database."""\nimport json\nfrom . import models\nLIMIT = 3\nfrom .cache import store\n',
            "app/models.py": "from app.base import Base\n",
            "app/base.py": "",
            "app/cache.py": "store = {}\n",
            "app/web/__init__.py": "",
            "app/web/views.py": (
                "import os\nfrom app import db\ntry:\n    import app.optional\nexcept ImportError:\n    pass\n"
                "os.environ['MODE'] = 'test'\nimport app.late\n"
            ),
            "app/optional.py": "",
            "app/late.py": "",
        },
    )
    found = certain_imports(["app.db", "app.web.views", "app.base"], [tmp_path])
    # `from . import models` is a module on disk; a plain assignment does not stop the reading;
    # what models imports comes too; json is another package; the top-level package is left out
    assert found["app.db"] == {"app.models", "app.base", "app.cache"}
    # the parent package counts; `try` and what follows the environment line do not
    assert found["app.web.views"] == {"app.web", "app.db", "app.models", "app.base", "app.cache"}
    assert found["app.base"] == frozenset()


def test_the_measuring_order_holds_what_at_least_two_modules_share_and_joins_holds_that_do_not_branch() -> None:
    required = {
        "app.a": frozenset({"app.core", "app.util"}),
        "app.b": frozenset({"app.core", "app.util"}),
        "app.core": frozenset({"app.util"}),
        "app.c": frozenset({"app.other"}),
        "app.d": frozenset(),
    }
    order = dict(measuring_order(list(required), required))
    assert order["app.core"] == (("app.util", "app.core"),)  # util needs no process of its own
    assert order["app.a"] == order["app.b"] == (("app.util", "app.core"),)
    assert order["app.c"] == order["app.d"] == ()  # nothing shared: measured from the package
    sequence = [module for module, _ in measuring_order(list(required), required)]
    assert sequence.index("app.core") < sequence.index("app.a")  # the holder's own figure first


def test_modules_measured_below_shared_holds_cost_what_fresh_interpreters_measure(tmp_path: Path) -> None:
    """``pkg.heavy`` is held once for ``pkg.a`` and ``pkg.b``; ``pkg.p`` fails alone (a circular
    import that works only from ``pkg.q``), so the modules below it are measured again from the
    package and import as they do in a fresh interpreter."""
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/heavy.py": "BLOCK = bytearray(12 * 2**20)\n",
            "pkg/a.py": "from pkg import heavy\nBLOCK = bytearray(2 * 2**20)\n",
            "pkg/b.py": "import pkg.heavy\nBLOCK = bytearray(4 * 2**20)\n",
            "pkg/p.py": "from pkg import q\nVALUE = 1\n",
            "pkg/q.py": "from pkg.p import VALUE\nBLOCK = bytearray(3 * 2**20)\n",
            "pkg/r.py": "import pkg.q\n",
        },
    )
    modules = ["pkg.a", "pkg.b", "pkg.heavy", "pkg.q", "pkg.r", "pkg.p"]
    schedule = Schedule(modules, required=certain_imports(modules, [tmp_path]))
    assert schedule.steps["pkg.a"] == schedule.steps["pkg.b"] == (("pkg.heavy",),)
    assert schedule.steps["pkg.q"] == schedule.steps["pkg.r"] == (("pkg.p",),)

    def measured(fork: bool) -> dict[str, tuple[float | None, str | None]]:
        settings = MeasureSettings(rootdir=tmp_path, cache_dir=tmp_path / f"cache-{fork}", fork=fork, jobs=1)
        return {m: (c.megabytes, c.error) for m, c in measure_modules(modules, settings).items()}

    forked, fresh = measured(True), measured(False)
    assert forked["pkg.p"][1] is not None and "ImportError" in forked["pkg.p"][1]
    for module in ("pkg.a", "pkg.b", "pkg.heavy", "pkg.q", "pkg.r"):
        (mine, error), (theirs, _) = forked[module], fresh[module]
        assert error is None and mine is not None and theirs is not None, (module, error)
        assert abs(mine - theirs) <= 1.0, (module, mine, theirs)
    assert forked["pkg.b"][0] > forked["pkg.a"][0] > forked["pkg.heavy"][0] >= 12
