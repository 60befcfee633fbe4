"""Measuring what importing a module costs, in a clean interpreter (I/O).

A *worker* is one subprocess of the target interpreter, run from the project's
rootdir in the environment :func:`child_environment` builds, that imports the
common baseline (``pytest``: every process that loads a conftest has it) once
and then forks a child per module: each child starts from exactly the state a
fresh interpreter has after ``import pytest`` and imports one module. The child
stops before and after the import; the parent reads the child's RSS with psutil
at both points, so the figure does not depend on psutil being installed in the
target, and it is what the module adds to a pytest process. ``settings.jobs``
workers run side by side. Where the target has no ``os.fork`` (Windows), or
with ``fork=False``, each module gets its own fresh interpreter instead, as
before. Results are cached (:mod:`splitter.analyze.cache`) per interpreter,
module and installed version. The design is in docs/MEASURE.md.
The rootdir is not put first on ``sys.path`` (a package's ``typing/`` would
shadow the standard library): the baseline appends the project's import roots
after it has imported pytest, as pytest itself adds them after starting.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple, TypeVar

import psutil

from splitter.analyze.cache import CostCache, ResultCache, default_cache_dir
from splitter.analyze.holds import Hold, Holds, certain_imports, measuring_order
from splitter.errors import UserError
from splitter.model import Action, ModuleCost, Prelude, Step

Progress = Callable[[int, int, str], None]
T = TypeVar("T")
MEGABYTE = 1024 * 1024
NOT_STARTED = "the interpreter did not start"

# ``python -c`` puts the working directory (the rootdir) first on sys.path: drop it.
UNSHADOW = 'import sys\nif sys.path and sys.path[0] in ("", "."): del sys.path[0]\n'
IMPORT_PATHS_ENV = "SPLITTER_IMPORT_PATHS"

PROBE = UNSHADOW + r"""
import json, os, site, importlib.metadata as md
def stamp(path):
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_mtime_ns, found.st_size]
# Stamped before the listing: what decides it (see remembered_interpreter).
watched = [os.path.realpath(sys.executable), os.path.join(sys.prefix, "pyvenv.cfg"), *sys.path]
if hasattr(site, "getusersitepackages"):
    watched.append(site.getusersitepackages())
for entry in list(sys.path):
    try:
        watched += [os.path.join(entry, f) for f in os.listdir(entry) if f.endswith(".pth")]
    except OSError:
        pass
stamps = {path: stamp(path) for path in watched if path}
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
    "prefix": sys.prefix,
    "stdlib": sorted(set(getattr(sys, "stdlib_module_names", ())) | set(sys.builtin_module_names)),
    "distributions": dists,
    "versions": versions,
    "stamps": stamps,
}))
"""

# The conftest's prelude (splitter/analyze/prelude.py) run in a measuring process, as the
# operations :func:`prelude_operation` gives: environment, sys.path, imports (``load``).
# Needs ``importlib``, ``os`` and ``sys`` imported first; the floor's script runs it too.
PREPARE = r"""
def prepare(ops, load=importlib.import_module):
    for op in ops:
        if op[0] == "env":
            os.environ[op[1]] = op[2]
        elif op[0] == "unenv":
            os.environ.pop(op[1], None)
        elif op[0] == "insert":
            sys.path.insert(op[1], op[2])
        elif op[0] == "append":
            sys.path.append(op[1])
        else:
            load(op[1])
"""

# pytest is loaded in every process that loads a conftest, so it is part of the
# baseline: a module costs what it adds on top of ``import pytest``. ``measure``
# stops twice on stdin so the parent can read the RSS before and after.
BASELINE = UNSHADOW + r"""
import importlib, json, os, sys, time
channel = os.fdopen(os.dup(1), "w")
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
try:
    import pytest
except ImportError:
    pass
sys.path.extend(filter(None, os.environ.get("SPLITTER_IMPORT_PATHS", "").split(os.pathsep)))

""" + PREPARE + r"""
def measure(module, ops=()):
    before = set(sys.modules)
    channel.write(f"ready {os.getpid()}\n"); channel.flush()
    sys.stdin.readline()
    start = time.perf_counter()
    error = None
    try:
        prepare(ops)
    except BaseException as exc:
        error = f"the conftest's earlier import failed: {type(exc).__name__}: {exc}"
    if error is None:
        try:
            importlib.import_module(module)
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    loaded = sorted(set(sys.modules) - before)
    loads = sorted({name.split(".")[0] for name in loaded})
    channel.write(json.dumps({"seconds": seconds, "loads": loads, "error": error, "modules": loaded}) + "\n")
    channel.flush()
    sys.stdin.readline()
    return error
"""

# One fresh interpreter per module (where fork is unavailable).
CHILD = BASELINE + "measure(sys.argv[1], json.loads(sys.argv[2]) if sys.argv[2:] and sys.argv[2] else ())\n"

# A worker: the baseline once, then, for ``top PACKAGE`` on stdin, a forked child
# that imports the package (measured) and stays: for each ``sub MODULE`` it forks a
# grandchild that imports the submodule, so ``pandas.testing`` does not import
# pandas again (importing a submodule runs its package first, and the grandchild
# starts right after that); ``hold MODULE...`` forks one that imports those modules,
# in order, and stays in turn: a subpackage (``scipy.stats`` for its many modules) or
# what several modules to measure are certain to import (splitter/analyze/holds.py);
# ``end`` ends the innermost holder. Whoever forked a process
# reports ``exited <status>`` when it ends (it may have died).
# Linux does not copy the page-table entries of file mappings (the interpreter's
# and extensions' code) on fork, so a child would count re-reading those pages as
# the import's cost: it touches the pages its parent has resident (from
# /proc/self/pagemap) before its first reading, as a fresh interpreter has them.
WORKER = BASELINE + r"""
def resident_file_pages():
    size, pages = os.sysconf("SC_PAGE_SIZE"), []
    try:
        with open("/proc/self/maps") as maps, open("/proc/self/pagemap", "rb") as table:
            for line in maps:
                fields = line.split()
                if len(fields) < 6 or not fields[5].startswith("/") or fields[1][0] != "r":
                    continue
                start, end = (int(x, 16) for x in fields[0].split("-"))
                table.seek(start // size * 8)
                entries = table.read((end - start) // size * 8)
                pages += [start + i * size for i in range(len(entries) // 8)
                          if entries[i * 8 + 7] & 0x80]
    except OSError:
        return []
    return pages

def touch(pages):
    try:
        with open("/proc/self/mem", "rb", buffering=0) as memory:
            for page in pages:
                memory.seek(page)
                memory.read(1)
    except OSError:
        pass

def forked(pages, work):
    pid = os.fork()
    if pid == 0:
        try:
            touch(pages)
            work()
        finally:
            os._exit(0)
    channel.write(f"exited {os.waitpid(pid, 0)[1]}\n"); channel.flush()

def commands():
    for line in iter(sys.stdin.readline, ""):
        command, _, name = line.strip().partition(" ")
        yield command, name

def holding(name, ops=()):
    if measure(name, ops) is not None:
        return
    pages = resident_file_pages()
    for command, arg in commands():
        if command == "sub":
            forked(pages, lambda: measure(arg))
        elif command == "hold":
            *first, last = arg.split()
            forked(pages, lambda: holding(last, [["import", m] for m in first]))
        else:
            return

if not hasattr(os, "fork"):
    channel.write("nofork\n"); channel.flush(); raise SystemExit
pages = resident_file_pages()
channel.write("forks " + json.dumps(sorted(sys.modules)) + "\n"); channel.flush()
for command, name in commands():
    if command == "top":
        top, _, ops = name.partition(" ")
        forked(pages, lambda: holding(top, json.loads(ops) if ops else ()))
    else:
        channel.write("lost\n"); channel.flush()
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
    fork: bool = True  # fork a child per module from a worker; False: a fresh interpreter each
    prelude: Prelude = Prelude()  # what the conftest does to the process before each import

    @property
    def path_entries(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys((self.rootdir, *self.import_roots)))


@dataclass(frozen=True)
class Interpreter:
    """What the target interpreter has installed (from one probe subprocess)."""

    executable: str
    version: str
    prefix: str  # the environment (a virtualenv's folder): python and python3 share it
    stdlib: frozenset[str]
    distributions: dict[str, list[str]]
    versions: dict[str, str]


class Probe:
    """The interpreter probe, started early so it runs while parse works.

    Its answer is remembered (:func:`remembered_interpreter`); the subprocess
    runs only when nothing remembered is still true.
    """

    def __init__(self, settings: MeasureSettings) -> None:
        self.settings = settings
        self.results = ResultCache(settings.cache_dir, "interpreter")
        self.key = probe_key(settings)
        self.known = remembered_interpreter(self.results.get(self.key))
        self.process: subprocess.Popen[str] | None = None
        self.lock = threading.Lock()
        if self.known is not None:
            return
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
        """The probe's answer (waits for it; several threads may ask)."""
        with self.lock:
            return self.answer()

    def answer(self) -> Interpreter:
        if self.known is not None:
            return self.known
        assert self.process is not None
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
        self.known = Interpreter(
            executable=self.settings.interpreter,
            version=data["version"],
            prefix=data["prefix"],
            stdlib=frozenset(data["stdlib"]),
            distributions=data["distributions"],
            versions=data["versions"],
        )
        self.results.put(self.key, (self.known, data["stamps"]))
        return self.known


# The environment variables that can change what an interpreter has installed.
PROBE_ENVIRONMENT = ("HOME", "VIRTUAL_ENV")


def probe_key(settings: MeasureSettings) -> list[object]:
    """What decides the probe's answer besides the files it stamps: the interpreter as
    named and as found on the PATH, where it runs, and the environment it gets."""
    env = child_environment(settings)
    relevant = sorted((k, v) for k, v in env.items() if k.startswith("PYTHON") or k in PROBE_ENVIRONMENT)
    return [settings.interpreter, shutil.which(settings.interpreter), str(settings.rootdir), relevant]


def remembered_interpreter(stored: object) -> Interpreter | None:
    """A remembered probe answer, if every file it depends on is as it was then.

    The probe stamped (mtime and size) the interpreter's binary, its ``pyvenv.cfg``,
    every ``sys.path`` entry (installing or removing a distribution changes its
    folder), the ``.pth`` files in them and the user site folder.
    """
    if not (isinstance(stored, tuple) and len(stored) == 2):
        return None
    interpreter, stamps = stored
    if not isinstance(interpreter, Interpreter) or not isinstance(stamps, dict):
        return None
    return interpreter if all(file_stamp(path) == stamp for path, stamp in stamps.items()) else None


def file_stamp(path: str) -> list[int] | None:
    """mtime (ns) and size of ``path``, as the probe writes them; None if it is missing."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_mtime_ns, found.st_size]


def child_environment(settings: MeasureSettings) -> dict[str, str]:
    """The environment of measuring subprocesses: the project's import roots, for after start-up.

    They write no bytecode: measuring reads the project, it leaves nothing in it.
    """
    env = dict(os.environ)
    env[IMPORT_PATHS_ENV] = os.pathsep.join(str(p) for p in settings.path_entries)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONSTARTUP", None)
    return env


def measure_modules(
    modules: Sequence[str],
    settings: MeasureSettings,
    probe: Probe | None = None,
    progress: Progress | None = None,
    early: EarlyMeasurement | None = None,
) -> dict[str, ModuleCost]:
    """The cost of importing each module, from the cache or measured in parallel.

    What ``early`` measured (or found in the cache) is taken as it is; the rest is
    measured now.
    """
    known = early.costs() if early is not None else {}
    done = sum(1 for c in known.values() if not c.cached)
    if progress is not None and done:
        measuring = progress
        progress = lambda count, total, module: measuring(done + count, done + total, module)  # noqa: E731
    rest = [m for m in modules if m not in known]
    found = cached_or_measured(rest, settings, probe, progress) if rest or early is None else {}
    return {m: c for m in modules if (c := known.get(m) or found.get(m)) is not None}


def cached_or_measured(
    modules: Sequence[str],
    settings: MeasureSettings,
    probe: Probe | None = None,
    progress: Progress | None = None,
    stopped: threading.Event | None = None,
) -> dict[str, ModuleCost]:
    """The cost of each module from the cache, or measured now (and cached); ``stopped`` ends early."""
    interpreter = (probe or Probe(settings)).result()
    cache = CostCache.load(settings.cache_dir)
    known: dict[str, str] = {}
    keys = {m: cache_key(m, interpreter, settings, known) for m in modules}
    costs = {m: cache.get(keys[m], m) for m in modules}
    missing = [m for m in modules if costs[m] is None]
    for module, cost in measure_all(missing, settings, progress, stopped):
        costs[module] = cost
        cache.put(keys[module], cost)
    if missing:
        cache.save()
    return {m: c for m, c in costs.items() if c is not None}


def in_background(function: Callable[..., T], *args: object) -> Future[T]:
    """``function(*args)`` started on a thread of its own; the future holds its answer."""
    executor = ThreadPoolExecutor(max_workers=1)
    future = executor.submit(function, *args)
    executor.shutdown(wait=False)
    return future


class EarlyMeasurement:
    """Measuring the modules known before the parse, in the background.

    The conftest's imports can be listed (by Python's own parser) long before
    libcst has analysed it; measuring them meanwhile keeps the second core busy.
    :meth:`costs` waits for the result; :meth:`cancel` stops after the module
    being measured (when the analysis fails).
    """

    def __init__(
        self, modules: Sequence[str], settings: MeasureSettings, probe: Probe, progress: Progress | None
    ) -> None:
        self.stopped = threading.Event()
        self.future = in_background(cached_or_measured, modules, settings, probe, progress, self.stopped)

    def costs(self) -> dict[str, ModuleCost]:
        """What the early measurement found (its error, if it failed)."""
        return self.future.result()

    def cancel(self) -> None:
        self.stopped.set()


def measure_all(
    modules: Sequence[str],
    settings: MeasureSettings,
    progress: Progress | None,
    stopped: threading.Event | None = None,
) -> list[tuple[str, ModuleCost]]:
    """Measure modules on ``settings.jobs`` workers at once; results in the order given
    (those measured before ``stopped`` was set)."""
    if not modules:
        return []
    ops = {m: replayed(m, settings) for m in modules}
    schedule = Schedule(modules, stopped, ops)
    # the shared imports are read while the workers start and import the first packages
    # (sqlmesh's 4 s): reading them first delayed every measurement by 2.5 s
    reading = threading.Thread(target=lambda: schedule.share(certain_imports(modules, settings.path_entries)))
    reading.start()
    costs: dict[str, ModuleCost] = {}

    failed: set[tuple[str, str, Hold]] = set()

    def work(number: int) -> None:
        worker = Worker.start(settings, failed) if settings.fork else None
        try:
            while (module := schedule.take(number, worker.held if worker is not None else ())) is not None:
                worker, cost = measure_on(worker, module, settings, ops[module], schedule.steps.get(module, ()))
                if worker is not None and worker.package is not None:
                    schedule.imported(worker.package, worker.ops)
                with schedule.lock:
                    costs[module] = cost
                    if progress is not None:
                        progress(len(costs), len(modules), module)
        finally:
            if worker is not None:
                worker.close()

    jobs = max(1, min(settings.jobs, len(modules)))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in [pool.submit(work, n) for n in range(jobs)]:
            done.result()
    reading.join()
    return [(m, costs[m]) for m in modules if m in costs]


@dataclass
class Package:
    """Modules of one top-level package still to measure, and who measures them."""

    modules: list[str]
    owner: int | None = None  # the worker whose child holds the package
    cheap: bool = False  # importing it again elsewhere costs next to nothing


class Schedule:
    """Which module a worker measures next.

    A worker keeps to one package, so its child imports the package once for all
    its submodules; it then takes a package nobody has started, biggest first.
    Another worker helps with a started package only when that package is cheap to
    import again (a project's light ``__init__``), so two cores stay busy without
    importing pandas twice. Modules measured after different preludes (``ops``,
    :func:`replayed`) belong to different packages: a child holds one state.

    Within a package, the modules come in the order of what they share
    (:func:`splitter.analyze.holds.measuring_order` of their ``required`` imports),
    each with the holders (``steps``) to measure it below. A worker takes the module
    whose holders it already holds most of: the package's owner from the front, a
    helper from the back, so each stays in its own part of the tree.
    """

    CHEAP_SECONDS = 0.1

    def __init__(
        self,
        modules: Sequence[str],
        stopped: threading.Event | None = None,
        ops: Mapping[str, str] | None = None,
        required: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.stopped = stopped
        self.ops = ops or {}
        groups: dict[tuple[str, str], list[str]] = {}
        for module in dict.fromkeys(modules):
            groups.setdefault((module.split(".")[0], self.ops.get(module, "")), []).append(module)
        self.steps: dict[str, Holds] = {}
        self.packages = {top: Package(sorted(group)) for top, group in sorted(groups.items(), key=lambda g: -len(g[1]))}
        self.lock = threading.Lock()
        if required is not None:
            self.share(required)

    def share(self, required: Mapping[str, frozenset[str]]) -> None:
        """Order the modules still to measure by what they share (their ``required`` imports),
        with the holders to measure each below; until then a package's come in name order,
        the package first, each measured from the package alone."""
        with self.lock:
            for package in self.packages.values():
                order = measuring_order(package.modules, required)
                self.steps.update(order)
                package.modules = [module for module, _ in order]

    def take(self, worker: int, held: Holds = ()) -> str | None:
        """The next module for ``worker``, which holds ``held``; None when nothing is left for it."""
        with self.lock:
            if self.stopped is not None and self.stopped.is_set():
                return None
            open_ = [p for p in self.packages.values() if p.modules]
            package = (
                next((p for p in open_ if p.owner == worker), None)
                or next((p for p in open_ if p.owner is None), None)
                or next((p for p in open_ if p.cheap), None)
            )
            if package is None:
                return None
            if package.owner is None:
                package.owner = worker
            shared = [_common(held, self.steps.get(m, ())) for m in package.modules]
            most = max(shared)
            helping = package.owner != worker
            index = len(shared) - 1 - shared[::-1].index(most) if helping else shared.index(most)
            return package.modules.pop(index)

    def imported(self, package: ModuleCost, ops: str = "") -> None:
        """A worker's child imported ``package`` after ``ops``: note whether that was cheap."""
        with self.lock:
            found = self.packages.get((package.module, ops))
            if found is not None and (package.seconds or 0.0) < self.CHEAP_SECONDS:
                found.cheap = True


def _common(held: Holds, steps: Holds) -> int:
    """How many of ``steps`` are held already."""
    return next((i for i, (a, b) in enumerate(zip(held, steps)) if a != b), min(len(held), len(steps)))


def measure_on(
    worker: Worker | None, module: str, settings: MeasureSettings, ops: str = "", steps: Holds = ()
) -> tuple[Worker | None, ModuleCost]:
    """Measure ``module`` after ``ops`` in a child of ``worker`` below the holders ``steps``,
    or alone without one.

    A worker that died or lost the thread of the conversation is replaced.
    """
    if worker is None:
        return None, measure_one(module, settings, ops)
    cost = worker.measure(module, ops, steps)
    if worker.alive():
        return worker, cost
    worker.close()
    return Worker.start(settings, worker.failed), cost


class Holder(NamedTuple):
    """A process a worker keeps to fork from: what reaching it cost, every module loaded
    there, the modules it imported; ``forked=False`` stands for one that was not needed
    (everything was loaded above it)."""

    cost: ModuleCost
    loaded: frozenset[str]
    step: Hold
    forked: bool = True


class Worker:
    """A target interpreter holding the baseline; its child holds one package at a time,
    and a chain of holders below it what the modules being measured share: a subpackage
    (``scipy.stats``), modules they all import (``jupyterhub.orm``)."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        settings: MeasureSettings,
        baseline: frozenset[str],
        failed: set[tuple[str, str, Hold]] | None = None,
    ) -> None:
        self.process = process
        self.settings = settings
        self.baseline = baseline  # modules the baseline (``import pytest``) already loaded
        # the holders, outermost first: each one's cost from a fresh interpreter, every
        # module loaded up to it, and what it imported (the package, then its step)
        self.chain: list[Holder] = []
        self.ops = ""  # the prelude the current child ran before it (see :func:`replayed`)
        # holders whose import failed, by package and prelude: shared by the workers of one
        # measurement (:func:`measure_all` hands each the same set)
        self.failed = set() if failed is None else failed

    @property
    def package(self) -> ModuleCost | None:
        """The top-level package the current child imported."""
        return self.chain[0].cost if self.chain else None

    @property
    def held(self) -> Holds:
        """The steps held below the package."""
        return tuple(holder.step for holder in self.chain[1:])

    @classmethod
    def start(cls, settings: MeasureSettings, failed: set[tuple[str, str, Hold]] | None = None) -> Worker | None:
        """A running worker, or None when the target cannot fork (measure alone then); ``failed``
        is the holders known to fail, shared with the other workers."""
        process = spawn(WORKER, (), settings)
        assert process.stdout is not None
        command, _, loaded = process.stdout.readline().partition(" ")
        if command == "forks":
            try:
                baseline = frozenset(map(str, json.loads(loaded)))
            except ValueError:
                baseline = frozenset()
            return cls(process, settings, baseline, failed)
        stop(process)
        return None

    def alive(self) -> bool:
        """Whether the worker still answers."""
        return self.process.poll() is None

    def measure(self, module: str, ops: str = "", steps: Holds = ()) -> ModuleCost:
        """A package in a child (after the prelude ``ops``); a submodule in a process forked
        below its package and the holders ``steps`` name (each imports modules the submodule
        is certain to import: :mod:`splitter.analyze.holds`), costing them plus what it adds.
        The modules loaded are a fresh interpreter's, so is the figure. A holder whose import
        fails (holding changes the order of imports: a module may need another one imported
        first, as Django's models need ``django.setup()``) is remembered and not held again;
        the module is measured below the holders before it. Its own import failing below
        holders that imported is its own failure: they are imports it runs first itself."""
        if module in self.baseline:
            return already_loaded(module)
        top = module.split(".")[0]
        if not (self.package is not None and self.package.module == top and self.ops == ops):
            package = self.hold(top, ops)
            if package.error is not None:
                return replace(package, module=module)
        if module == top:
            return replace(self.chain[0].cost, module=module)
        steps = steps[: next((i for i, step in enumerate(steps) if (top, ops, step) in self.failed), len(steps))]
        keep = _common(self.held, steps)
        while len(self.chain) > 1 + keep:
            self.release_one()
        for step in steps[keep:]:
            below = self.hold_below(step)
            if below.error == NOT_STARTED or not self.alive():
                return replace(below, module=module)  # the worker is gone: measure_on replaces it
            if below.error is not None:
                self.failed.add((top, ops, step))
                return self.measure(module, ops, steps)
        if module in self.chain[-1].loaded:  # a lookup in sys.modules: what reaching it cost, no fork
            return replace(self.chain[-1].cost, module=module)
        own, reported, _ = self.ask(f"sub {module}", module)
        if reported:
            self.expect_exit()
        return combined(self.chain[-1].cost, own)

    def hold(self, top: str, ops: str = "") -> ModuleCost:
        """Import ``top`` (after ``ops``) in a new child that stays to fork its submodules."""
        self.release()
        package, reported, loaded = self.ask(f"top {top} {ops}".rstrip(), top)
        if package.error is None:
            self.chain, self.ops = [Holder(package, loaded, (top,))], ops
        elif reported:
            self.expect_exit()  # the import failed: the child ends by itself
        return package

    def hold_below(self, step: Hold) -> ModuleCost:
        """Import the modules of ``step`` in a process forked from the innermost holder, which
        stays in turn (named by the last of them); modules already loaded need no process."""
        outer = self.chain[-1]
        if all(module in outer.loaded for module in step):
            self.chain.append(Holder(replace(outer.cost, module=step[-1]), outer.loaded, step, forked=False))
            return self.chain[-1].cost
        own, reported, loaded = self.ask(f"hold {' '.join(step)}", step[-1])
        cost = combined(outer.cost, own)
        if own.error is None:
            self.chain.append(Holder(cost, outer.loaded | loaded, step))
        elif reported:
            self.expect_exit()
        return cost

    def release(self) -> None:
        """End every holder, the child holding the package last."""
        while self.chain:
            self.release_one()

    def release_one(self) -> None:
        """End the innermost holder."""
        if not self.chain.pop().forked:
            return
        try:
            self.send("end")
        except OSError:
            self.abandon()
            return
        self.expect_exit()

    def ask(self, command: str, module: str) -> tuple[ModuleCost, bool, frozenset[str]]:
        """Send a command and measure the child it starts (see :func:`converse`)."""
        try:
            self.send(command)
        except OSError:
            self.abandon()
            return ModuleCost(module, None, None, error=NOT_STARTED), False, frozenset()
        cost, reported, loaded = converse(module, self.process, self.settings.timeout)
        if cost.error == NOT_STARTED:
            self.abandon()
        return cost, reported, loaded

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def expect_exit(self) -> None:
        """Read a child's ``exited`` line; a worker that says anything else is ended."""
        assert self.process.stdout is not None
        if not self.process.stdout.readline().startswith("exited"):
            self.abandon()

    def abandon(self) -> None:
        """End a worker that no longer speaks the protocol (the next one starts afresh)."""
        self.chain = []
        self.process.kill()
        self.process.wait()

    def close(self) -> None:
        """End the worker (a child holding a package ends when stdin closes)."""
        stop(self.process)


def already_loaded(module: str) -> ModuleCost:
    """A module the baseline has loaded: importing it again only looks it up in
    ``sys.modules``, so it costs nothing and loads nothing (no child is forked for it)."""
    return ModuleCost(module, 0.0, 0.0)


def combined(package: ModuleCost, own: ModuleCost) -> ModuleCost:
    """A submodule's cost from its package's and what it adds after the package."""
    if own.megabytes is None or package.megabytes is None:
        return replace(own, seconds=None)
    return ModuleCost(
        module=own.module,
        megabytes=round(package.megabytes + own.megabytes, 1),
        seconds=round((package.seconds or 0.0) + (own.seconds or 0.0), 3),
        loads=tuple(sorted({*package.loads, *own.loads})),
    )


def measure_one(module: str, settings: MeasureSettings, ops: str = "") -> ModuleCost:
    """Import one module (after ``ops``) in a fresh interpreter; RSS delta and wall time."""
    process = spawn(CHILD, (module, ops), settings)
    try:
        return converse(module, process, settings.timeout)[0]
    finally:
        stop(process)


def spawn(
    script: str, args: Sequence[str], settings: MeasureSettings
) -> subprocess.Popen[str]:
    """Start the target interpreter on ``script`` in the measuring environment."""
    return subprocess.Popen(
        [settings.interpreter, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=settings.rootdir,
        env=child_environment(settings),
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> None:
    """End a measuring process (its figures are read) and close its pipes."""
    process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


def converse(
    module: str, process: subprocess.Popen[str], timeout: float
) -> tuple[ModuleCost, bool, frozenset[str]]:
    """Drive the measuring child: RSS before, let it import, RSS after.

    The child (``process`` itself, or a child it forked) announces its pid; it is
    killed if the import takes longer than ``timeout``. The flag says whether the
    child lived to report (it then ends when told to); the set is every module
    the import loaded.
    """
    assert process.stdin is not None and process.stdout is not None
    announced = process.stdout.readline().split()
    try:
        watched = psutil.Process(int(announced[1]))
        before = watched.memory_info().rss
    except (psutil.Error, ValueError, IndexError):
        return ModuleCost(module, None, None, error=NOT_STARTED), False, frozenset()
    timer = threading.Timer(timeout, kill, (watched,))
    timer.start()
    try:
        process.stdin.write("\n")
        process.stdin.flush()
        line = process.stdout.readline()
        after = rss(watched)
    finally:
        timer.cancel()
    try:
        report = json.loads(line)
    except ValueError:
        died = "the import ended the interpreter or timed out"
        return ModuleCost(module, None, None, error=died), False, frozenset()
    process.stdin.write("\n")
    process.stdin.flush()
    return cost_of(module, report, before, after), True, frozenset(map(str, report.get("modules") or ()))


def cost_of(
    module: str, report: dict[str, object], before: int, after: int | None
) -> ModuleCost:
    """A child's report and the two RSS readings as a :class:`ModuleCost`."""
    seconds = report["seconds"]
    assert isinstance(seconds, float)
    error = report["error"]
    if error or after is None:
        return ModuleCost(module, None, round(seconds, 3), error=str(error or "gone"))
    loads = report["loads"]
    assert isinstance(loads, list)
    return ModuleCost(
        module=module,
        megabytes=round((after - before) / MEGABYTE, 1),
        seconds=round(seconds, 3),
        loads=tuple(map(str, loads)),
    )


def rss(process: psutil.Process) -> int | None:
    """The resident set size of ``process`` in bytes, None if it is gone."""
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return None


def kill(process: psutil.Process) -> None:
    """Kill a measuring child that took too long."""
    try:
        process.kill()
    except psutil.Error:
        pass


def cache_key(
    module: str, interpreter: Interpreter, settings: MeasureSettings, known: dict[str, str] | None = None
) -> str:
    """Interpreter environment and version, module, and what decides its code: version or mtime;
    and the conftest's prelude replayed before it, when there is one (with what decides the code
    of the modules it imports). ``known``: provenances already found, by top-level package (a
    project's newest mtime walks its whole tree: pandas' 354 modules took 11 s without it)."""
    known = {} if known is None else known

    def origin(top: str) -> str:
        if top not in known:
            known[top] = provenance(top, interpreter, settings)
        return known[top]

    key: list[object] = [interpreter.prefix, interpreter.version, module, origin(module.split(".")[0])]
    ops = replayed(module, settings)
    if ops:
        imported = [op[1] for op in json.loads(ops) if op[0] == "import"]
        key.append([ops, [origin(m.split(".")[0]) for m in imported]])
    return json.dumps(key)


def replayed(module: str, settings: MeasureSettings) -> str:
    """What a measuring child does before importing ``module``: the conftest's prelude up to
    that import, as JSON operations (``""`` when there is none).

    ``os.environ.setdefault`` is resolved here, against the environment the child
    inherits: it sets only a variable that is not set yet.
    """
    steps = settings.prelude.before(module)
    if not steps:
        return ""
    env = child_environment(settings)
    ops = [op for step in steps if (op := prelude_operation(step, env)) is not None]
    return json.dumps(ops) if ops else ""


def prelude_operation(step: Step, env: dict[str, str]) -> list[object] | None:
    """One prelude step as the operation a measuring process runs (``env`` is updated as it
    would be: ``setdefault`` sets only a variable that is not set yet); None when it does nothing."""
    if step.action is Action.SET_ENV or (step.action is Action.DEFAULT_ENV and step.name not in env):
        env[step.name] = step.value or ""
        return ["env", step.name, step.value or ""]
    if step.action is Action.UNSET_ENV and step.name in env:
        del env[step.name]
        return ["unenv", step.name]
    if step.action is Action.INSERT_PATH:
        return ["insert", step.at, step.name]
    if step.action is Action.APPEND_PATH:
        return ["append", step.name]
    if step.action is Action.IMPORT:
        return ["import", step.name]
    return None


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
