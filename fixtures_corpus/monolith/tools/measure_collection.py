"""Measure collection cost (peak RSS, wall time) of this corpus.

Usage (from fixtures_corpus/monolith):

    python tools/measure_collection.py [--runs 3]

Each measurement is a fresh ``python -m pytest ... --collect-only -q``
subprocess; peak RSS is that child's ``ru_maxrss`` (via ``os.wait4``), so
runs do not contaminate each other.  CPU time (user+sys of the child) is
printed too: it is far less sensitive to a busy machine than wall time.  The "floor" is pytest collecting a
temporary directory holding one trivial test and no conftest.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(args: list[str], cwd: Path) -> tuple[float, float, float, str]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    output = proc.stdout.read().decode()
    _, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    last = [line for line in output.splitlines() if line.strip()][-1]
    return rusage.ru_maxrss / 1024, elapsed, rusage.ru_utime + rusage.ru_stime, last


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        floor_dir = Path(tmp)
        (floor_dir / "test_trivial.py").write_text("def test_trivial():\n    assert True\n")
        targets = {
            "floor (1 trivial test, no conftest)": (["--collect-only", "-q", "."], floor_dir),
            "collect tests/unit": (["tests/unit", "--collect-only", "-q"], ROOT),
            "collect full suite": (["--collect-only", "-q"], ROOT),
        }
        for label, (args, cwd) in targets.items():
            samples = [measure(args, cwd) for _ in range(options.runs)]
            rss = statistics.median(s[0] for s in samples)
            wall = statistics.median(s[1] for s in samples)
            cpu = statistics.median(s[2] for s in samples)
            runs = ", ".join(f"{s[0]:.1f}MB/{s[1]:.2f}s" for s in samples)
            print(
                f"{label:38s} median: peak RSS {rss:6.1f} MB, wall {wall:5.2f} s, cpu {cpu:5.2f} s"
                f"  [{runs}]  -> {samples[-1][3]}"
            )


if __name__ == "__main__":
    main()
