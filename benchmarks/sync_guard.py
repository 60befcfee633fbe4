"""What living with a split costs: the loader's guard per pytest start, and ``splitter sync``.

On a copy of the monolith migrated with ``--no-verify --no-measure``:

- **guard, unchanged files**: the guard as pytest runs it at conftest import, when its
  ``__pycache__`` record says no file changed since the last clean check (every start
  but the first after an edit);
- **guard, after an edit**: the same with the record gone, so it parses the loader and
  every split module again (the first start after an edit, or every start in CI);
- **sync (in-process)**: ``prepare_sync`` — read, parse the root, the loader and the
  modules, render, black — on an up-to-date tree (what ``sync --check`` does before answering);
- **sync --check (CLI)**: ``python -m splitter sync tests/conftest.py --check`` as a
  fresh process, against ``python -c "import libcst, black"`` as its floor.

The guard functions are taken from the generated ``conftest_loader.py`` itself and run
in a namespace holding what the loader gives them (``_sys``, ``_Path``, ``_os``, ``_ast``…).

    python benchmarks/sync_guard.py [--rounds 200] [--output benchmarks/results/sync.md]
"""

from __future__ import annotations

import argparse
import ast
import os
import resource
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUARD_FUNCTIONS = (
    "_split_signature",
    "_split_functions",
    "_split_star_imports",
    "_split_stale",
    "_split_guard",
    "_split_record",
    "_split_private_directory",
    "_split_remember",
    "_split_message",
)


def migrated_monolith(scratch: Path) -> Path:
    """A migrated copy of the monolith; its root conftest."""
    project = scratch / "monolith"
    shutil.copytree(ROOT / "fixtures_corpus" / "monolith", project, ignore=shutil.ignore_patterns("__pycache__"))
    conftest = project / "tests" / "conftest.py"
    command = [sys.executable, "-m", "splitter", "migrate", str(conftest), "--yes", "--no-verify", "--no-measure"]
    subprocess.run(command, check=True, capture_output=True)
    return conftest


def guard_namespace(loader: Path) -> dict[str, object]:
    """The guard's functions from the generated loader module, with the names it binds for them."""
    tree = ast.parse(loader.read_text(encoding="utf-8"))
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in GUARD_FUNCTIONS]
    namespace: dict[str, object] = {"_sys": sys, "_Path": Path, "_os": os, "_ast": ast, "__file__": str(loader)}
    namespace.update(_tempfile=tempfile, _zlib=zlib, _stat=stat)
    exec(compile(ast.Module(functions, []), str(loader), "exec"), namespace)  # noqa: S102 - our own generated code
    return namespace


def stems_of(conftest: Path) -> list[str]:
    """The split modules beside the conftest (the generated loader aside)."""
    return sorted(p.stem for p in conftest.parent.glob("conftest_*.py") if p.stem != "conftest_loader")


def time_calls(
    call: Callable[[], object], rounds: int, before: Callable[[], None] = lambda: None
) -> tuple[list[float], list[float]]:
    """(wall, CPU) seconds per call, ``rounds`` times; CPU time is the steadier figure on a shared machine."""
    walls, cpus = [], []
    for _ in range(rounds):
        before()
        started, cpu = time.perf_counter(), time.process_time()
        call()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - started)
    return walls, cpus


def time_process(command: list[str], cwd: Path, rounds: int) -> tuple[list[float], list[float]]:
    """(wall, CPU) seconds of a fresh process, ``rounds`` times."""
    walls, cpus = [], []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def row(label: str, seconds: list[float], unit: float, suffix: str) -> str:
    """A Markdown row: median (min–max)."""
    median, low, high = (statistics.median(seconds) * unit, min(seconds) * unit, max(seconds) * unit)
    return f"| {label} | {median:.2f} {suffix} ({low:.2f}–{high:.2f}) | {len(seconds)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--process-rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "sync.md")
    options = parser.parse_args()
    from splitter.migrate.sync import prepare_sync

    with tempfile.TemporaryDirectory() as scratch:
        conftest = migrated_monolith(Path(scratch))
        loader = conftest.with_name("conftest_loader.py")
        namespace = guard_namespace(loader)
        guard, record = namespace["_split_guard"], namespace["_split_record"]
        assert callable(guard) and callable(record)
        stems = stems_of(conftest)
        cache = record(loader)  # where the guard keeps its record
        assert guard(loader, stems) == {}, "the guard reports a fresh migration as stale"
        warm_wall, warm = time_calls(lambda: guard(loader, stems), options.rounds)
        cold_wall, cold = time_calls(
            lambda: guard(loader, stems), max(options.rounds // 10, 5), lambda: cache.unlink(missing_ok=True)
        )
        prepare_sync(conftest)  # warm-up: imports, black's caches
        sync_wall, sync = time_calls(lambda: prepare_sync(conftest), options.process_rounds)
        command = [sys.executable, "-m", "splitter", "sync", "tests/conftest.py", "--check"]
        cli_wall, cli_cpu = time_process(command, conftest.parent.parent, options.process_rounds)
        floor_wall, floor_cpu = time_process([sys.executable, "-c", "import libcst, black"], conftest.parent.parent, options.process_rounds)
    lines = [
        "| monolith (1,512-line conftest, 5 split modules) | median (min–max) | runs |",
        "|---|---|---|",
        row("guard per pytest start, files unchanged, CPU", warm, 1000, "ms"),
        row("guard per pytest start, files unchanged, wall", warm_wall, 1000, "ms"),
        row("guard per pytest start, after an edit (parses all), CPU", cold, 1000, "ms"),
        row("guard per pytest start, after an edit (parses all), wall", cold_wall, 1000, "ms"),
        row("`prepare_sync` in-process (up to date), CPU", sync, 1, "s"),
        row("`prepare_sync` in-process (up to date), wall", sync_wall, 1, "s"),
        row("`splitter sync --check` CLI, wall", cli_wall, 1, "s"),
        row("`splitter sync --check` CLI, CPU", cli_cpu, 1, "s"),
        row("floor: `python -c 'import libcst, black'`, CPU", floor_cpu, 1, "s"),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
