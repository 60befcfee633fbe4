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

import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from splitter.analyze.cache import ResultCache, content_digest
from splitter.analyze.measure import MeasureSettings, Probe, child_environment
from splitter.model import CollectionFloor

EMPTY_TEST = "def test_floor():\n    pass\n"
FLOOR_VERSION = 2  # of what FLOOR reports: part of the remembered floor's key
# pytest.main, then the process's own peak RSS in MB, its CPU time and the top-level modules it
# loaded (pytest's plugins'): VmHWM belongs to the address space the interpreter runs in
# (ru_maxrss would also count the parent's pages between fork and exec); CPU time, not wall
# time, because the floor runs while the imports are measured
FLOOR = r"""
import os, sys, pytest
code = pytest.main(sys.argv[2:])
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
    report.write(" ".join([str(peak), str(cpu.user + cpu.system), *loaded]))
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
        executor = ThreadPoolExecutor(max_workers=1)
        self.future = executor.submit(remembered_floor, settings, probe)
        executor.shutdown(wait=False)

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
    text = config.read_text(encoding="utf-8", errors="replace") if config is not None else ""
    key = [
        FLOOR_VERSION,
        interpreter.prefix,
        interpreter.version,
        sorted(interpreter.versions.items()),
        str(settings.rootdir),
        str(config),
        content_digest(text),
    ]
    results = ResultCache(settings.cache_dir, "floor")
    found = results.get(key)
    if isinstance(found, CollectionFloor):
        return replace(found, cached=True)
    floor = measure_floor(settings, config)
    if floor is not None:
        results.put(key, floor)
    return floor


def measure_floor(settings: MeasureSettings, config: Path | None) -> CollectionFloor | None:
    """Run pytest once on an empty test file in a temporary folder; None when that fails."""
    with tempfile.TemporaryDirectory(prefix="splitter-floor-") as folder:
        test, report = Path(folder) / "test_floor.py", Path(folder) / "peak"
        test.write_text(EMPTY_TEST, encoding="utf-8")
        arguments = ["--collect-only", "-q", "--noconftest", "-p", "no:cacheprovider", "--rootdir", str(settings.rootdir)]
        arguments += ["-c", str(config)] if config is not None else []
        env = child_environment(settings)
        try:
            done = subprocess.run(
                [settings.interpreter, "-c", FLOOR, str(report), *arguments, str(test)],
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
            peak, seconds, *loaded = report.read_text(encoding="utf-8").split()
            return CollectionFloor(round(float(peak), 1), round(float(seconds), 2), loaded=tuple(loaded))
        except (OSError, ValueError, subprocess.TimeoutExpired):
            return None
