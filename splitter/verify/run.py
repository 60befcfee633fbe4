"""Run pytest on a tree with the snapshot plugin, measuring memory and time (I/O).

Each run is one pytest subprocess in the tree's rootdir, started as the
``pytest`` console script starts it (``plugin/splitter_pytest.py``: the rootdir is
not put on ``sys.path``; pytest's own rules decide), with the standalone plugin
loaded by ``-p`` from its own directory. Both trees of a comparison run with the
same ``PYTHONHASHSEED`` (the user's, or 0), so ``params=list(A_SET)`` keeps its order.
While it runs, the RSS of the whole pytest process tree is sampled every
~20 ms with psutil; the plugin touches a marker when collection finishes, so
collection peak RSS and time stop there.
"""

from __future__ import annotations

import enum
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psutil  # no types-psutil in the dev environment

from splitter.errors import UserError
from splitter.verify.snapshot import Measurement

PLUGIN_DIR = Path(__file__).with_name("plugin")
PLUGIN_NAME = "splitter_snapshot_plugin"
LAUNCHER = PLUGIN_DIR / "splitter_pytest.py"
HASH_SEED = "0"  # when the user set none
CONFIG_ENV = "SPLITTER_SNAPSHOT"  # the same name as in the plugin
SAMPLE_SECONDS = 0.02
MEMBERS_SECONDS = 0.25  # how often the tree's members are looked up again (that reads all of /proc)
TAIL_LINES = 30


class Mode(str, enum.Enum):
    """What a pytest run records (the plugin's ``mode``)."""

    API = (
        "api"  # the fixture API, collection measured (--collect-only unless run_tests)
    )
    MEASURE = "measure"  # --collect-only; collection measured, nothing else
    OUTCOMES = "outcomes"  # the tests run; every test's outcome, the whole run measured


@dataclass(frozen=True)
class PytestCall:
    """One pytest run to make."""

    rootdir: Path
    python: str
    mode: Mode
    label: str  # the measurement's label
    args: tuple[str, ...] = ()
    imports: tuple[tuple[str, str], ...] = ()  # (module, name) pairs the plugin checks
    run_tests: bool = False  # API mode: run the tests too and record their outcomes
    only: tuple[str, ...] | None = None  # run only these nodeids (a re-run)
    probes: tuple[
        tuple[str, tuple[str, ...]], ...
    ] = ()  # conftest path -> names to look up
    # Fail fast after a split: the closures and outcomes of the run before; the run stops
    # before the tests when collection differs, and after ``stop_after`` changed outcomes.
    closures: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    expected: tuple[tuple[str, str], ...] = ()
    stop_after: int = 0
    stop_early: int = 0  # ...and after this many when they are at least half of the tests run

    @property
    def runs_tests(self) -> bool:
        """Whether the tests run (not --collect-only)."""
        return self.mode is Mode.OUTCOMES or (self.mode is Mode.API and self.run_tests)

    @property
    def accepted_exit_codes(self) -> frozenset[int]:
        """pytest exit codes that mean the run itself worked (1 = some tests failed)."""
        return frozenset({0, 1, 5}) if self.runs_tests else frozenset({0, 5})

    @property
    def command(self) -> tuple[str, ...]:
        collect = ("-q",) if self.runs_tests else ("--collect-only", "-q")
        launcher = (self.python, str(LAUNCHER))
        # no:cacheprovider: verification must not leave .pytest_cache/ in the user's project
        no_cache = ("-p", "no:cacheprovider")
        return (*launcher, "-p", PLUGIN_NAME, *no_cache, *collect, *self.args)

    @property
    def plugin_settings(self) -> dict[str, Any]:
        """What the plugin reads from its config file (besides where to write)."""
        return {
            "mode": self.mode.value,
            "imports": [list(p) for p in self.imports],
            "outcomes": self.runs_tests,
            "only": None if self.only is None else list(self.only),
            "probes": {path: list(names) for path, names in self.probes},
            "closures": None if self.closures is None else {n: list(c) for n, c in self.closures},
            "expected": dict(self.expected),
            "stop_after": self.stop_after,
            "stop_early": self.stop_early,
        }


@dataclass(frozen=True)
class PytestResult:
    """What one pytest run produced."""

    call: PytestCall
    exit_code: int
    output: str
    measurements: tuple[Measurement, ...]
    payload: Mapping[str, Any] | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        if self.payload is not None and self.payload.get("stopped"):
            return self.exit_code in (*self.call.accepted_exit_codes, 2)  # 2: stopped on purpose
        return (
            self.exit_code in self.call.accepted_exit_codes and self.payload is not None
        )

    def tail(self, lines: int = TAIL_LINES) -> str:
        """The end of pytest's output, where the reason for a failure is."""
        return "\n".join(self.output.rstrip().splitlines()[-lines:])


def run_pytest(call: PytestCall) -> PytestResult:
    """Run pytest once as described, sampling the RSS of its process tree."""
    with tempfile.TemporaryDirectory(prefix="splitter-verify-") as temporary:
        workdir = Path(temporary)
        output, marker, log = (
            workdir / "snapshot.json",
            workdir / "collected",
            workdir / "pytest.log",
        )
        config = workdir / "config.json"
        settings = {"output": str(output), "marker": str(marker)}
        config.write_text(json.dumps({**settings, **call.plugin_settings}))
        with log.open("wb") as sink:
            started = time.time()
            process = _start(call, config, sink)
            peaks = _watch(process, marker)
        finished = time.time()
        collected_at = _marker_time(marker)
        measurements = _measurements(call, peaks, started, collected_at, finished)
        payload = _payload(output)
        text = log.read_text(encoding="utf-8", errors="replace")
        return PytestResult(call, int(process.returncode), text, measurements, payload)


def _payload(output: Path) -> dict[str, Any] | None:
    """What the plugin wrote; under xdist, the first worker's API with the controller's outcomes."""
    if not output.exists():
        return None
    payload: dict[str, Any] = json.loads(output.read_text())
    from_worker = output.with_name(output.name + ".api")
    if payload.get("distributed") and from_worker.exists():
        api = json.loads(from_worker.read_text())
        return {**api, "outcomes": payload.get("outcomes")}
    return payload


def _start(call: PytestCall, config: Path, sink: IO[bytes]) -> psutil.Popen:
    try:
        return psutil.Popen(
            list(call.command), cwd=call.rootdir, env=_environment(config),
            stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    except OSError as exc:
        raise UserError(
            f"cannot run {call.python} in {call.rootdir}: {exc.strerror or exc}"
        ) from exc


def _environment(config: Path) -> dict[str, str]:
    env = dict(os.environ)
    env[CONFIG_ENV] = str(config)
    env.setdefault("PYTHONHASHSEED", HASH_SEED)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PLUGIN_DIR), env.get("PYTHONPATH")])
    )
    for name in (
        "PYTEST_XDIST_WORKER",
        "PYTEST_XDIST_TESTRUNUID",
        "PYTEST_CURRENT_TEST",
    ):
        env.pop(name, None)
    return env


def _watch(process: psutil.Popen, marker: Path) -> tuple[int, int]:
    """(peak RSS until collection finished, peak RSS of the whole run), in bytes.

    A peak is the highest level the tree held for two samples in a row: a process
    that forks counts its shared pages twice for an instant, and one such sample
    (+25 MB once, on an xdist run) is not memory the run needed. A run sampled
    only once reports that sample.
    """
    collect_peak = run_peak = 0
    first: int | None = None
    previous: int | None = None
    collecting = True
    tree = _Tree(process)
    try:
        while process.poll() is None:
            rss = tree.rss()
            first = rss if first is None else first
            if previous is not None:
                held = min(previous, rss)
                run_peak = max(run_peak, held)
                if collecting:
                    collect_peak = max(collect_peak, held)
            collecting = collecting and not marker.exists()
            previous = rss
            time.sleep(SAMPLE_SECONDS)
    except BaseException:
        _kill_tree(process)
        raise
    run_peak = run_peak or (first or 0)
    return collect_peak or run_peak, run_peak


class _Tree:
    """The RSS of a process and its descendants, summed.

    Finding the descendants reads every process's ``/proc/PID/stat``; done on each
    20 ms sample, that cost the splitter process ~1 s of CPU per pytest run. The
    members are looked up again every ``MEMBERS_SECONDS`` instead: an xdist worker
    that starts in between is missed for at most that long, while it is small.
    """

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.members: list[psutil.Process] = []
        self.found_at = float("-inf")

    def rss(self) -> int:
        now = time.monotonic()
        if now - self.found_at >= MEMBERS_SECONDS:
            self.members = _members(self.process)
            self.found_at = now
        total = 0
        for member in self.members:
            try:
                total += member.memory_info().rss
            except psutil.Error:
                pass
        return total


def _members(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def _kill_tree(process: psutil.Process) -> None:
    try:
        members = [*process.children(recursive=True), process]
    except psutil.Error:
        members = [process]
    for member in members:
        try:
            member.kill()
        except psutil.Error:
            pass


def _marker_time(marker: Path) -> float | None:
    try:
        return float(marker.read_text())
    except (OSError, ValueError):
        return None


def _measurements(
    call: PytestCall,
    peaks: tuple[int, int],
    started: float,
    collected_at: float | None,
    finished: float,
) -> tuple[Measurement, ...]:
    """The collection (until the marker) and, when the tests ran, the whole run ("run")."""
    whole = round(finished - started, 3)
    if call.mode is Mode.OUTCOMES or collected_at is None:
        label = "run" if call.runs_tests and call.mode is Mode.API else call.label
        return (Measurement(label, peaks[1], whole),)
    collection = Measurement(call.label, peaks[0], round(collected_at - started, 3))
    return (
        (collection, Measurement("run", peaks[1], whole))
        if call.runs_tests
        else (collection,)
    )
