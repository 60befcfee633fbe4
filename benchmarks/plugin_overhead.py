"""Wall-time overhead of the splitter_memory plugin on a real suite.

Runs ``python -m pytest -q -p no:cacheprovider`` in a project three ways —
without the plugin (``-p no:splitter_memory``), with it installed but off, and
with ``--fixture-memory`` — interleaved, several rounds, and prints the median
wall time and CPU time (user + system of the pytest process) of each, and the
overhead against "without". On a shared machine CPU time is the steadier
figure: wall time also counts the time other processes hold the cores.

    python benchmarks/plugin_overhead.py fixtures_corpus/monolith --rounds 5

The project is copied to a temporary directory first (the corpora are read-only).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARIANTS = {
    "without the plugin": ("-p", "no:splitter_memory"),
    "installed, off": (),
    "--fixture-memory": ("--fixture-memory",),
}


def run_once(project: Path, extra: tuple[str, ...]) -> tuple[float, float]:
    """(wall, CPU) seconds of one pytest run; fails loudly if the suite does not pass."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=project, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / options.project.name
        shutil.copytree(
            options.project,
            project,
            ignore=shutil.ignore_patterns(".pytest_cache", "__pycache__"),
        )
        run_once(project, ())  # warm the bytecode and file caches
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
        for round_number in range(options.rounds):
            for name, extra in VARIANTS.items():
                times[name].append(run_once(project, extra))
            print(
                f"round {round_number + 1}: "
                + ", ".join(f"{n} {t[-1][0]:.2f} s" for n, t in times.items())
            )
    print(f"\nmedian of {options.rounds} runs (overhead against 'without the plugin'):")
    for index, measure in enumerate(("wall", "CPU")):
        base = statistics.median(t[index] for t in times["without the plugin"])
        for name, values in times.items():
            median = statistics.median(t[index] for t in values)
            print(
                f"  {measure:4} {name:20} {median:6.2f} s  {(median - base) / base * 100:+5.1f} %"
            )


if __name__ == "__main__":
    main()
