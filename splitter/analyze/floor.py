"""floor: what pytest costs collecting one empty test file, with the project's configuration and no conftest (I/O).

The per-file estimate ("a test file that needs no heavy fixture collects in ~X MB
instead of ~Y MB") adds import costs to this floor: the interpreter, pytest, the
plugins the environment installs and the project's ``addopts`` load (or disable).
It is one ``pytest --collect-only --noconftest`` of an empty test file written to a
temporary folder (nothing is written into the project; no cache folder either), its
peak RSS read from the operating system when the process ends (``wait4``, what
``/usr/bin/time`` reports) and its wall time. Remembered per interpreter, installed
distributions and configuration file content. Where ``os.wait4`` does not exist
(Windows), there is no floor and the estimate counts from bare pytest.
"""

from __future__ import annotations

import json
import math
import subprocess
import tempfile
import threading
from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any

from splitter.analyze.cache import ResultCache, content_digest
from splitter.analyze.measure import (
    PREPARE,
    Interpreter,
    MeasureSettings,
    Probe,
    child_environment,
    in_background,
    prelude_operation,
    provenance,
)
from splitter.model import Action, CollectionFloor, LightFile

EMPTY_TEST = "def test_floor():\n    pass\n"
FLOOR_VERSION = 3  # of what FLOOR reports: part of the remembered floor's key
# pytest.main, then the process's own peak RSS in MB, its CPU time and the top-level modules it
# loaded (pytest's plugins'): VmHWM belongs to the address space the interpreter runs in
# (ru_maxrss would also count the parent's pages between fork and exec); CPU time, not wall
# time, because the floor runs while the imports are measured. With operations (the light
# file: a conftest's prelude and imports, :func:`light_file_operations`), a plugin runs them
# when the session starts, where pytest would have imported the conftest, and reports the
# imports that failed.
FLOOR = r"""
import importlib, json, os, sys
sys.path[:0] = json.loads(sys.argv[3])
import pytest
operations, failed = json.loads(sys.argv[2]), []
""" + PREPARE + r"""
def load(module):
    try:
        importlib.import_module(module)
    except BaseException as exc:
        failed.append(module + ": " + type(exc).__name__)

class Imports:
    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        prepare(operations, load)

code = pytest.main(sys.argv[4:], plugins=[Imports()])
peak = None
try:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
except OSError:
    import resource
    used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = used / 1024 / 1024 if sys.platform == "darwin" else used / 1024
cpu = os.times()
loaded = sorted({name.split(".")[0] for name in sys.modules})
with open(sys.argv[1], "w") as report:
    json.dump({"peak": peak, "cpu": cpu.user + cpu.system, "loaded": loaded, "failed": failed}, report)
raise SystemExit(code)
"""
# pytest's configuration files, in the order pytest looks for them, with the section each must have
CONFIG_FILES = (
    ("pytest.ini", ""),
    (".pytest.ini", ""),
    ("pyproject.toml", "[tool.pytest"),
    ("tox.ini", "[pytest]"),
    ("setup.cfg", "[tool:pytest]"),
)


def pytest_config_file(rootdir: Path) -> Path | None:
    """The file pytest reads its configuration from in ``rootdir``, if any."""
    for name, section in CONFIG_FILES:
        candidate = rootdir / name
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if not section or section in text:
                return candidate
    return None


class FloorMeasurement:
    """The floor of ``settings.rootdir``, found in the background (the probe answers first)."""

    def __init__(self, settings: MeasureSettings, probe: Probe) -> None:
        self.future = in_background(remembered_floor, settings, probe)

    def result(self) -> CollectionFloor | None:
        """The floor, None when it could not be measured."""
        try:
            return self.future.result()
        except Exception:  # noqa: BLE001 - a floor is a nicety: the estimate counts from bare pytest
            return None


def remembered_floor(settings: MeasureSettings, probe: Probe) -> CollectionFloor | None:
    """The floor from the cache, or measured now (and remembered)."""
    interpreter = probe.result()
    config = pytest_config_file(settings.rootdir)
    key = [FLOOR_VERSION, *project_key(interpreter, settings, config)]
    results = ResultCache(settings.cache_dir, "floor")
    found = results.get(key)
    if isinstance(found, CollectionFloor):
        return replace(found, cached=True)
    floor = measure_floor(settings, config)
    if floor is not None:
        results.put(key, floor)
    return floor


def project_key(interpreter: Interpreter, settings: MeasureSettings, config: Path | None) -> list[object]:
    """What decides a collection of the project's empty test file: the interpreter and its
    installed distributions, the rootdir and the configuration file's content."""
    text = config.read_text(encoding="utf-8", errors="replace") if config is not None else ""
    return [
        interpreter.prefix,
        interpreter.version,
        sorted(interpreter.versions.items()),
        str(settings.rootdir),
        str(config),
        content_digest(text),
    ]


def measure_floor(settings: MeasureSettings, config: Path | None) -> CollectionFloor | None:
    """Run pytest once on an empty test file in a temporary folder; None when that fails."""
    found = collect_empty_file(settings, config, [])
    if found is None or found["failed"]:
        return None
    return CollectionFloor(round(float(found["peak"]), 1), round(float(found["cpu"]), 2), loaded=tuple(found["loaded"]))


def collect_empty_file(
    settings: MeasureSettings, config: Path | None, operations: list[list[object]]
) -> dict[str, Any] | None:
    """``pytest --collect-only --noconftest`` of an empty test file in a temporary folder, with
    ``operations`` run when the session starts: FLOOR's report, None when pytest failed.

    The project's import roots come first on ``sys.path``, as pytest's prepend import mode
    puts the conftest's base there (and as running from the project does): a plugin that
    imports the project while pytest starts (pytest-django's settings) finds it, and an
    installed package of the same name (a ``tests`` package) does not hide it."""
    with tempfile.TemporaryDirectory(prefix="splitter-floor-") as folder:
        test, report = Path(folder) / "test_floor.py", Path(folder) / "peak"
        test.write_text(EMPTY_TEST, encoding="utf-8")
        arguments = ["--collect-only", "-q", "--noconftest", "-p", "no:cacheprovider", "--rootdir", str(settings.rootdir)]
        arguments += ["-c", str(config)] if config is not None else []
        env = child_environment(settings)
        roots = json.dumps([str(root) for root in settings.path_entries])
        try:
            done = subprocess.run(
                [settings.interpreter, "-c", FLOOR, str(report), json.dumps(operations), roots, *arguments, str(test)],
                cwd=settings.rootdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=settings.timeout,
                check=False,
            )
            if done.returncode != 0:
                return None
            found = json.loads(report.read_text(encoding="utf-8"))
            return found if isinstance(found, dict) and found.get("peak") is not None else None
        except (OSError, ValueError, subprocess.TimeoutExpired):
            return None


LIGHT_FILE_VERSION = 2  # of what :func:`light_file_side` measures: part of its key


def measured_light_file(
    settings: MeasureSettings,
    probe: Probe,
    floor: CollectionFloor,
    modules: tuple[Sequence[str], Sequence[str]],
    packages: Collection[str] = (),
    optional: Collection[str] = (),
) -> LightFile | None:
    """The per-file figure measured: an empty test file collected, as the floor is, with what
    the conftest loads while collecting run first (``before``) and with what the split still
    loads (``after``): two runs in parallel, each remembered like the floor (the ``before``
    run may have started while the plan was made: :func:`start_light_file_side`). None when
    either fails or an import fails there (the estimate then adds measured import costs
    instead), unless it is one of the conftest's ``optional`` imports (``try: import
    pyarrow`` / ``except ImportError``) that is really missing, as it is in the test run.

    Adding import costs to the floor misses what they share with pytest's plugins and with
    each other, and what only a pytest process shows (pytest-asyncio's loop, a plugin's
    lazy imports); one real process per side does not (docs/MEASURE.md).
    """
    sides = [light_file_side(side, settings, probe, packages) for side in modules]
    before, after = [side.result() for side in sides]
    if before is None or after is None:
        return None
    if any(not _missing_optional(f, optional) for r in (before, after) for f in r["failed"]):
        return None
    return LightFile(
        floor_mb=floor.megabytes,
        before_mb=round(float(before["peak"]), 1),
        after_mb=round(float(after["peak"]), 1),
        before_seconds=round(float(before["cpu"]), 2),
        after_seconds=round(float(after["cpu"]), 2),
        measured=True,
    )


# Runs started and not yet asked for, by their key: analyze starts the ``before`` side as soon
# as the conftest is read, and the estimate asks for it once the plan exists.
_STARTED: dict[str, Future[dict[str, Any] | None]] = {}
_STARTED_LOCK = threading.Lock()


def light_file_side(
    modules: Sequence[str], settings: MeasureSettings, probe: Probe, packages: Collection[str] = ()
) -> Future[dict[str, Any] | None]:
    """The collection of an empty test file after ``modules`` (and the prelude): FLOOR's
    report, None when pytest failed. Remembered per interpreter, configuration, operations
    and the code of what they import; else the run started earlier for the same key, else
    one started now."""
    key, config, ops = _side_key(modules, settings, probe, packages)
    found = ResultCache(settings.cache_dir, "light-file").get(key)
    if isinstance(found, dict):
        done: Future[dict[str, Any] | None] = Future()
        done.set_result(found)
        return done
    with _STARTED_LOCK:
        running = _STARTED.pop(json.dumps(key), None)
    return running or in_background(_collected_and_remembered, settings, config, ops, key)


def start_light_file_side(
    modules: Sequence[str], settings: MeasureSettings, probe: Probe, packages: Collection[str] = ()
) -> None:
    """Start the collection :func:`light_file_side` gives, unless it is remembered or under
    way: its answer waits for whoever asks for the same key."""
    key, config, ops = _side_key(modules, settings, probe, packages)
    if isinstance(ResultCache(settings.cache_dir, "light-file").get(key), dict):
        return
    with _STARTED_LOCK:
        if json.dumps(key) not in _STARTED:
            _STARTED[json.dumps(key)] = in_background(_collected_and_remembered, settings, config, ops, key)


def _collected_and_remembered(
    settings: MeasureSettings, config: Path | None, ops: list[list[object]], key: list[object]
) -> dict[str, Any] | None:
    found = collect_empty_file(settings, config, ops)
    if found is not None:
        ResultCache(settings.cache_dir, "light-file").put(key, found)
    return found


def _side_key(
    modules: Sequence[str], settings: MeasureSettings, probe: Probe, packages: Collection[str]
) -> tuple[list[object], Path | None, list[list[object]]]:
    """(what decides a side's figure, the configuration file, FLOOR's operations)."""
    interpreter = probe.result()
    config = pytest_config_file(settings.rootdir)
    ops = light_file_operations(modules, settings, packages)
    tops = sorted({str(op[1]).split(".")[0] for op in ops if op[0] == "import"})
    key = [
        LIGHT_FILE_VERSION,
        *project_key(interpreter, settings, config),
        ops,
        [provenance(top, interpreter, settings) for top in tops],
    ]
    return key, config, ops


def light_file_operations(
    modules: Sequence[str], settings: MeasureSettings, packages: Collection[str] = ()
) -> list[list[object]]:
    """What collecting a test file beside the conftest runs, as FLOOR's operations: the
    conftest's prelude steps and ``modules`` in the order the conftest runs them; a module
    the conftest does not import at top level (its package, a ``pytest_plugins`` module)
    comes where pytest imports it: its ``packages`` first, the rest after the conftest."""
    prelude = settings.prelude
    first = dict(prelude.first_imports)
    env = child_environment(settings)
    events: list[tuple[float, int, list[object] | None]] = [
        (step.position, 0, prelude_operation(step, env)) for step in prelude.steps if step.action is not Action.IMPORT
    ]
    for index, module in enumerate(modules):
        position = -1.0 if module in packages else float(first.get(module, math.inf))
        events.append((position, 1 + index, ["import", module]))
    ordered = [op for _, _, op in sorted(events, key=lambda e: (e[0], e[1])) if op is not None]
    return ordered



def _missing_optional(failure: str, optional: Collection[str]) -> bool:
    """Whether FLOOR's ``module: Error`` is an optional import that is not installed."""
    module, _, error = failure.partition(": ")
    return module in optional and error in ("ModuleNotFoundError", "ImportError")
