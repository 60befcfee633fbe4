"""What a migrate that is going to roll back costs, when the split breaks every test.

Issue 21: a split that broke nearly every test ran every test with a growing traceback, then
re-ran each changed one, for more than 20 minutes. The bound is one run past the "before"
run: the run after the split stops after 50 changed outcomes and re-runs none of them.

The project: a copy of the ``shared_state`` corpus plus ``--tests`` (default 1,500)
parametrized tests that each take ``--sleep`` seconds and assert that the root conftest
still has its original number of lines, so every one of them fails after the split (and
the failure leads to no moved definition: migrate does not plan again). In one run:

- **plain run**: ``python -m pytest -q -p no:cacheprovider`` on the unsplit tree — what
  migrate's own "before" run costs;
- **collection**: ``python -m pytest --collect-only -q`` on the same tree;
- **migrate**: the default ``splitter migrate tests/conftest.py --yes`` (exit 1, rolled back).

Prints migrate's wall time against plain run + collection (the bound) and whether the tree
is byte-exact after the rollback. migrate's progress lines (stderr) are timestamped as they
arrive, which splits its wall time in three: its own work before pytest starts (analyze,
plan, render), its "before" run, and everything after the split is written (the run that
stops early, the rollback). The last is what "past the before run" means: it is compared
with one collection.

    python benchmarks/fail_fast.py [--tests 1500] [--sleep 0.01] [--rounds 1]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TESTS = """
import pathlib
import time

import pytest


@pytest.mark.parametrize("n", range({tests}))
def test_the_conftest_keeps_its_lines(n):
    time.sleep({sleep})
    conftest = pathlib.Path(__file__).with_name("conftest.py")
    assert len(conftest.read_text().splitlines()) == {lines}
"""


def project(scratch: Path, tests: int, sleep: float) -> Path:
    """The shared_state corpus plus tests that all break once the conftest is split; its rootdir."""
    root = scratch / "project"
    shutil.copytree(ROOT / "fixtures_corpus" / "shared_state", root)
    conftest = root / "tests" / "conftest.py"
    lines = len(conftest.read_text(encoding="utf-8").splitlines())
    (root / "tests" / "test_every_test_breaks.py").write_text(TESTS.format(tests=tests, sleep=sleep, lines=lines))
    return root


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done.returncode


def phased(command: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """Run migrate; (own work before pytest, the before run, after the split is written, exit code)."""
    start = time.perf_counter()
    before_starts = after_starts = None
    with subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            now = time.perf_counter() - start
            if before_starts is None and "recording the fixture API before" in line:
                before_starts = now
            if after_starts is None and "split written" in line:
                after_starts = now
        code = process.wait()
    end = time.perf_counter() - start
    assert before_starts is not None and after_starts is not None, "migrate's progress lines changed"
    return before_starts, after_starts - before_starts, end - after_starts, code


def digest(root: Path) -> str:
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=1500)
    parser.add_argument("--sleep", type=float, default=0.01)
    parser.add_argument("--rounds", type=int, default=1)
    options = parser.parse_args()
    python = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = project(Path(scratch), options.tests, options.sleep)
        for _ in range(options.rounds):
            plain, code = timed([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], root)
            assert code == 0, f"the unsplit suite must pass (exit {code})"
            collect, _ = timed([python, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], root)
            before = digest(root)
            own, before_run, after, code = phased([python, "-m", "splitter", "migrate", "tests/conftest.py", "--yes"], root)
            rows.append((plain, collect, own, before_run, after, code, digest(root) == before))
    print(f"{options.tests} tests of {options.sleep * 1000:.0f} ms that all break after the split")
    print(
        "| round | plain run | collection | bound (run + collection) | migrate | migrate / bound "
        "| own work | before run | after the split is written | after / collection | exit | tree exact |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for number, (plain, collect, own, before_run, after, code, exact) in enumerate(rows, 1):
        bound, migrate = plain + collect, own + before_run + after
        print(
            f"| {number} | {plain:.1f} s | {collect:.1f} s | {bound:.1f} s | {migrate:.1f} s | {migrate / bound:.2f} "
            f"| {own:.1f} s | {before_run:.1f} s | {after:.1f} s | {after / collect:.2f} | {code} | {'yes' if exact else 'NO'} |"
        )
    if len(rows) > 1:
        ratio = statistics.median((o + b + a) / (p + c) for p, c, o, b, a, _, _ in rows)
        past = statistics.median(a / c for _, c, _, _, a, _, _ in rows)
        print(f"median migrate / bound: {ratio:.2f}; median after the split is written / one collection: {past:.2f}")
    return 0 if all(code == 1 and exact for *_, code, exact in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
