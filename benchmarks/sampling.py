"""Run a command and measure it: wall time, CPU time and peak RSS of its whole process tree.

The RSS of the process and all its descendants (pytest-xdist workers included)
is summed and sampled every ~20 ms with psutil, the way ``splitter verify``
measures (splitter/verify/run.py): the peak is the highest level held for two
samples in a row, because a process that forks counts its shared pages twice
for an instant, and one such sample would otherwise be the "peak" (seen once as
+25 MB on an xdist run). CPU time is user + system of the finished
tree, from ``getrusage(RUSAGE_CHILDREN)``: on a shared machine it is steadier
than wall time, which also counts the time other processes hold the cores.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from stats import Cost

SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Finished:
    """A finished command: its cost, exit code and the end of its output."""

    cost: Cost
    exit_code: int
    output: str


def run_measured(
    command: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    accept: frozenset[int] = frozenset({0}),
) -> Finished:
    """Run ``command`` to its end, sampling its tree; fail loudly on an unexpected exit."""
    log = cwd.parent / f".bench-{os.getpid()}-{time.monotonic_ns()}.log"
    with log.open("wb") as sink:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = psutil.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        peak = _watch(process)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = log.read_text(encoding="utf-8", errors="replace")
    log.unlink()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    code = int(process.returncode)
    if code not in accept:
        tail = "\n".join(output.splitlines()[-40:])
        raise RuntimeError(f"{' '.join(command)} (in {cwd}) exited {code}:\n{tail}")
    return Finished(Cost(wall, cpu, peak), code, output)


def _watch(process: psutil.Popen) -> int:
    """The highest tree RSS held for two consecutive samples (the one sample if only one)."""
    samples: list[int] = []
    while process.poll() is None:
        samples.append(tree_rss(process))
        time.sleep(SAMPLE_SECONDS)
    if len(samples) < 2:
        return max(samples, default=0)
    return max(min(a, b) for a, b in zip(samples, samples[1:]))


def tree_rss(process: psutil.Process) -> int:
    """The summed RSS of ``process`` and its descendants, in bytes."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total
