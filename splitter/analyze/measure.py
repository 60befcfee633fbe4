"""Measuring what importing a module costs, in a clean interpreter (I/O).

Each module is imported alone in a fresh subprocess of the target interpreter,
run from the project's rootdir. The rootdir is not put first on ``sys.path``
(a package's ``typing/`` would shadow the standard library): the child appends
the project's import roots after it has imported pytest, as pytest itself adds
them after starting. The child stops before and after the import;
the parent reads the child's RSS with psutil at both points, so the figure
does not depend on psutil being installed in the target. The baseline already
holds ``pytest`` (every process that loads a conftest has it), so a figure is
what the module adds to a pytest process. Results are cached
(:mod:`splitter.analyze.cache`) per interpreter, module and installed version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from splitter.analyze.cache import CostCache, default_cache_dir
from splitter.errors import UserError
from splitter.model import ModuleCost

Progress = Callable[[int, int, str], None]
MEGABYTE = 1024 * 1024

# ``python -c`` puts the working directory (the rootdir) first on sys.path: drop it.
UNSHADOW = 'import sys\nif sys.path and sys.path[0] in ("", "."): del sys.path[0]\n'
IMPORT_PATHS_ENV = "SPLITTER_IMPORT_PATHS"

PROBE = UNSHADOW + r"""
import json, importlib.metadata as md
dists = md.packages_distributions()
versions = {}
for names in dists.values():
    for name in names:
        try:
            versions[name] = md.version(name)
        except Exception:
            pass
print(json.dumps({
    "version": sys.version,
    "stdlib": sorted(set(getattr(sys, "stdlib_module_names", ())) | set(sys.builtin_module_names)),
    "distributions": dists,
    "versions": versions,
}))
"""

# pytest is loaded in every process that loads a conftest, so it is part of the
# baseline: a module costs what it adds on top of ``import pytest``.
CHILD = UNSHADOW + r"""
import importlib, json, os, time
channel = os.fdopen(os.dup(1), "w")
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
try:
    import pytest
except ImportError:
    pass
sys.path.extend(filter(None, os.environ.get("SPLITTER_IMPORT_PATHS", "").split(os.pathsep)))
before = set(sys.modules)
channel.write("ready\n"); channel.flush()
sys.stdin.readline()
start = time.perf_counter()
error = None
try:
    importlib.import_module(sys.argv[1])
except BaseException as exc:
    error = f"{type(exc).__name__}: {exc}"
seconds = time.perf_counter() - start
loads = sorted({name.split(".")[0] for name in set(sys.modules) - before})
channel.write(json.dumps({"seconds": seconds, "loads": loads, "error": error}) + "\n")
channel.flush()
sys.stdin.readline()
"""


@dataclass(frozen=True)
class MeasureSettings:
    """Where and how to measure imports."""

    rootdir: Path
    import_roots: tuple[Path, ...] = ()  # extra directories the project imports from
    interpreter: str = sys.executable
    cache_dir: Path = field(default_factory=default_cache_dir)
    jobs: int = 2
    timeout: float = 120.0

    @property
    def path_entries(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys((self.rootdir, *self.import_roots)))


@dataclass(frozen=True)
class Interpreter:
    """What the target interpreter has installed (from one probe subprocess)."""

    executable: str
    version: str
    stdlib: frozenset[str]
    distributions: dict[str, list[str]]
    versions: dict[str, str]


class Probe:
    """The interpreter probe, started early so it runs while parse works."""

    def __init__(self, settings: MeasureSettings) -> None:
        self.settings = settings
        try:
            self.process = subprocess.Popen(
                [settings.interpreter, "-c", PROBE],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=settings.rootdir,
                env=child_environment(settings),
                text=True,
            )
        except OSError as exc:
            raise UserError(
                f"cannot run the interpreter {settings.interpreter}: {exc}"
            ) from exc

    def result(self) -> Interpreter:
        """The probe's answer (waits for it)."""
        errors = ""
        try:
            output, errors = self.process.communicate(timeout=self.settings.timeout)
            data = json.loads(output)
        except (subprocess.TimeoutExpired, ValueError) as exc:
            self.process.kill()
            lines = (errors or "").strip().splitlines()
            reason = lines[-1] if lines else "it gave no answer"
            raise UserError(
                f"the interpreter {self.settings.interpreter} could not list its packages: {reason}"
            ) from exc
        return Interpreter(
            executable=self.settings.interpreter,
            version=data["version"],
            stdlib=frozenset(data["stdlib"]),
            distributions=data["distributions"],
            versions=data["versions"],
        )


def child_environment(settings: MeasureSettings) -> dict[str, str]:
    """The environment of measuring subprocesses: the project's import roots, for after start-up."""
    env = dict(os.environ)
    env[IMPORT_PATHS_ENV] = os.pathsep.join(str(p) for p in settings.path_entries)
    env.pop("PYTHONSTARTUP", None)
    return env


def measure_modules(
    modules: Sequence[str],
    settings: MeasureSettings,
    probe: Probe | None = None,
    progress: Progress | None = None,
) -> dict[str, ModuleCost]:
    """The cost of importing each module, from the cache or measured in parallel."""
    interpreter = (probe or Probe(settings)).result()
    cache = CostCache.load(settings.cache_dir)
    keys = {m: cache_key(m, interpreter, settings) for m in modules}
    costs = {m: cache.get(keys[m], m) for m in modules}
    missing = [m for m in modules if costs[m] is None]
    for module, cost in measure_all(missing, settings, progress):
        costs[module] = cost
        cache.put(keys[module], cost)
    if missing:
        cache.save()
    return {m: c for m, c in costs.items() if c is not None}


def measure_all(
    modules: Sequence[str], settings: MeasureSettings, progress: Progress | None
) -> list[tuple[str, ModuleCost]]:
    """Measure modules in parallel subprocesses, ``settings.jobs`` at a time."""
    results: list[tuple[str, ModuleCost]] = []
    with ThreadPoolExecutor(max_workers=max(settings.jobs, 1)) as pool:
        for module, cost in zip(
            modules, pool.map(lambda m: measure_one(m, settings), modules)
        ):
            results.append((module, cost))
            if progress is not None:
                progress(len(results), len(modules), module)
    return results


def measure_one(module: str, settings: MeasureSettings) -> ModuleCost:
    """Import one module in a fresh interpreter; RSS delta and wall time."""
    process = subprocess.Popen(
        [settings.interpreter, "-c", CHILD, module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=settings.rootdir,
        env=child_environment(settings),
        text=True,
    )
    timer = threading.Timer(settings.timeout, process.kill)
    timer.start()
    try:
        return converse(module, process)
    finally:
        timer.cancel()
        process.kill()
        process.wait()


def converse(module: str, process: subprocess.Popen[str]) -> ModuleCost:
    """Drive the child: RSS before, let it import, RSS after."""
    assert process.stdin is not None and process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        return ModuleCost(module, None, None, error="the interpreter did not start")
    watched = psutil.Process(process.pid)
    before = watched.memory_info().rss
    process.stdin.write("\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        return ModuleCost(
            module, None, None, error="the import ended the interpreter or timed out"
        )
    after = watched.memory_info().rss
    report = json.loads(line)
    if report["error"]:
        return ModuleCost(module, None, report["seconds"], error=report["error"])
    return ModuleCost(
        module=module,
        megabytes=round((after - before) / MEGABYTE, 1),
        seconds=round(report["seconds"], 3),
        loads=tuple(report["loads"]),
    )


def cache_key(module: str, interpreter: Interpreter, settings: MeasureSettings) -> str:
    """Interpreter path and version, module, and what decides its code: version or mtime."""
    top = module.split(".")[0]
    return json.dumps(
        [
            interpreter.executable,
            interpreter.version,
            module,
            provenance(top, interpreter, settings),
        ]
    )


def provenance(top: str, interpreter: Interpreter, settings: MeasureSettings) -> str:
    """``local:<mtime>`` for project code, ``dist:<name>==<version>``, ``stdlib`` or ``unknown``."""
    for root in settings.path_entries:
        local = local_mtime(root, top)
        if local is not None:
            return f"local:{local}"
    dists = interpreter.distributions.get(top)
    if dists:
        return "dist:" + ",".join(
            f"{d}=={interpreter.versions.get(d, '?')}" for d in sorted(dists)
        )
    return "stdlib" if top in interpreter.stdlib else "unknown"


def local_mtime(root: Path, top: str) -> int | None:
    """The newest mtime (ns) of a project-local module or package, None if not local."""
    single = root / f"{top}.py"
    if single.is_file():
        return single.stat().st_mtime_ns
    package = root / top
    if not package.is_dir():
        return None
    mtimes = [p.stat().st_mtime_ns for p in package.rglob("*.py")]
    return max(mtimes) if mtimes else None
