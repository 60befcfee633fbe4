"""Run a tier of a corpus, and its *need floor* (``tests/plugins/need_floor.py``).

A tier's need floor imports, from the conftest, only the modules that its test
modules and the closures of its fixtures need, as splitter's analysis finds them:
the run that a perfect load-by-need split would make. ``benchmarks/tier_run.py``
measures it; ``tests/migrate/test_load_by_need.py`` checks a split against it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from splitter.analyze.analysis import AnalyzeSettings, analyze_file
from splitter.analyze.impact import closure_definitions, resolve_module
from splitter.files import package_of
from splitter.model import Analysis, Kind
from splitter.plan.assign import is_import_like, needs
from splitter.verify.imports import scan_conftest_imports

PLUGINS = Path(__file__).resolve().parent / "plugins"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "need_floor"]
IMPORT_TIME = frozenset({Kind.HOOK, Kind.SIDE_EFFECT, Kind.PYTEST_PLUGINS, Kind.UNMOVABLE, Kind.CONDITIONAL})


def plugin_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The environment of a pytest run with the need-floor plugin importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PLUGINS), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def tier_fixtures(tree: Path, tier: str) -> frozenset[str]:
    """Every fixture name the tests of ``tier`` use (their closures), from one collection."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "fixtures.json"
        subprocess.run(
            [*PYTEST, "--collect-only", *_paths(tier)],
            cwd=tree,
            env=plugin_env({"NEED_FLOOR_FIXTURES": str(out)}),
            stdout=subprocess.DEVNULL,
            check=True,
        )
        return frozenset(json.loads(out.read_text(encoding="utf-8")))


def needed_modules(conftest: Path, tier: str, fixtures: Iterable[str], analysis: Analysis | None = None) -> frozenset[str]:
    """The modules the conftest must really import for ``tier``'s tests."""
    analysis = analysis or analyze_file(conftest, AnalyzeSettings(measure=False))
    model, graph = analysis.model, analysis.graph
    local = {node.name: node for node in graph.nodes}
    chosen = {d.index for d in model.definitions if d.kind in IMPORT_TIME and not is_import_like(d)}
    for name in fixtures:
        if name in local:
            chosen.update(d.index for d in closure_definitions(model, graph, local[name]))
    imported = {i.name for i in scan_conftest_imports(_rootdir(conftest)) if any(f.startswith(tier) for f in i.importers)}
    chosen.update(d.index for d in model.definitions if set(d.names) & imported)
    binders: dict[str, set[int]] = {}
    for d in model.definitions:
        for bound in d.names:
            binders.setdefault(bound, set()).add(d.index)
    todo = list(chosen)
    while todo:
        for bound in needs(model.definitions[todo.pop()]):
            for index in binders.get(bound, set()) - chosen:
                chosen.add(index)
                todo.append(index)
    package = package_of(conftest)
    found = {resolve_module(i, package) for index in chosen for i in model.definitions[index].imports if i.runtime}
    return frozenset(m for m in found if m)


def _rootdir(conftest: Path) -> Path:
    return conftest.parent.parent if conftest.parent.name == "tests" else conftest.parent


def run_tier(tree: Path, tier: str, floor: Iterable[str] | None = None, conftest: str = "tests/conftest.py") -> tuple[int, frozenset[str]]:
    """Run ``tier`` in ``tree``: its exit code and the modules loaded at the end.

    With ``floor`` (the needed modules), the conftest imports only those.
    """
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "modules.json"
        extra = {"NEED_FLOOR_DUMP": str(out)}
        if floor is not None:
            extra |= {"NEED_FLOOR_CONFTEST": str(tree / conftest), "NEED_FLOOR_ALLOW": json.dumps(sorted(floor))}
        done = subprocess.run([*PYTEST, *_paths(tier)], cwd=tree, env=plugin_env(extra), stdout=subprocess.DEVNULL)
        return done.returncode, frozenset(json.loads(out.read_text(encoding="utf-8")))


def floor_command(tree: Path, tier: str, floor: Iterable[str], conftest: str = "tests/conftest.py") -> tuple[list[str], dict[str, str]]:
    """The command and environment of a need-floor run (for measuring it)."""
    extra = {"NEED_FLOOR_CONFTEST": str(tree / conftest), "NEED_FLOOR_ALLOW": json.dumps(sorted(floor))}
    return [*PYTEST, *_paths(tier)], plugin_env(extra)


def _paths(tier: str) -> list[str]:
    """The pytest arguments of a tier; ``""`` is the whole suite (the configured testpaths)."""
    return [tier] if tier else []
