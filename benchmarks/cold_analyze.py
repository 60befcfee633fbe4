"""Cold ``splitter analyze``: wall and CPU time with an empty cache, on conftests you name.

    python benchmarks/cold_analyze.py [--rounds 3] LABEL=CONFTEST[@PYTHON] ...

    python benchmarks/cold_analyze.py monolith=fixtures_corpus/monolith/tests/conftest.py \\
        poetry=/tmp/wild-poetry-x/proj/tests/conftest.py@/tmp/wild-poetry-x/venv/bin/python

Each round runs ``python -m splitter analyze CONFTEST --json --python PYTHON`` from the
conftest's rootdir (the folder of its pytest configuration, else its parent's parent) with a
new, empty ``SPLITTER_CACHE_DIR``: wall time, CPU time of the process and the children it
waited for (``os.wait4``; measuring children killed by their parent are not in it, so it
is a lower bound), the number of modules measured and the per-file estimate, and the
1-minute load average when the round starts, since an idle machine is what the figure
claims (issue 22: at most 20 s wall on two idle cores for an application's conftest).
Prints one Markdown row per conftest: medians of the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIG_FILES = ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


def rootdir(conftest: Path) -> Path:
    """Where pytest (and the user) would run: the nearest folder with a configuration file."""
    for folder in conftest.resolve().parents:
        if any((folder / name).is_file() for name in CONFIG_FILES):
            return folder
    return conftest.resolve().parent.parent


def one_round(conftest: Path, python: str) -> dict:
    root = rootdir(conftest)
    with tempfile.TemporaryDirectory(prefix="splitter-cold-") as cache:
        env = {**os.environ, "SPLITTER_CACHE_DIR": cache}
        load = os.getloadavg()[0]
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "splitter", "analyze", str(conftest.resolve()), "--json", "--python", python],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        output = process.stdout.read() if process.stdout else b""
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    document = json.loads(output) if os.waitstatus_to_exitcode(status) == 0 else {}
    estimate = (document.get("saving_estimate") or {}).get("light_file") or {}
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "load": load,
        "modules": len(document.get("modules", [])),
        "estimate": f"{estimate.get('before_mb', 0):.0f} → {estimate.get('after_mb', 0):.0f} MB" if estimate else "—",
        "exit": os.waitstatus_to_exitcode(status),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="+", help="LABEL=CONFTEST[@PYTHON]")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("| conftest | lines | modules measured | wall (median) | CPU, waited-for children | load at start | per-file estimate | exit |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for target in args.targets:
        label, _, rest = target.partition("=")
        path, _, python = rest.partition("@")
        conftest = Path(path)
        rounds = [one_round(conftest, python or sys.executable) for _ in range(args.rounds)]
        lines = len(conftest.read_text(encoding="utf-8").splitlines())
        walls = [r["wall"] for r in rounds]
        print(
            f"| {label} | {lines} | {rounds[-1]['modules']} | {statistics.median(walls):.1f} s"
            f" ({min(walls):.1f}–{max(walls):.1f}) | {statistics.median(r['cpu'] for r in rounds):.1f} s"
            f" | {max(r['load'] for r in rounds):.2f} | {rounds[-1]['estimate']} | {rounds[-1]['exit']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
