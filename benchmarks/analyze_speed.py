"""`splitter analyze`: cold and warm speed against today's code, and the saving estimate's accuracy.

    python benchmarks/analyze_speed.py [--repeat 3] [--baseline main] [--output benchmarks/results/analyze]

1. **speed**: today's code (``--baseline``, ``main`` by default, exported with
   ``git archive`` into a scratch folder and run from there, so ``import splitter``
   finds it first) against this working tree, in the same run, in alternating
   order round by round, on the monolith:
   the real CLI, ``python -m splitter analyze tests/conftest.py --json``, cold (an
   empty cache) and warm (the cache the cold run left); and the analysis alone (the
   default subset's tests and the plan included) in a fresh interpreter with an
   empty cache: today's forked measuring, this tree's, and the reference way (a
   fresh interpreter per module, this tree with ``fork=False``). Wall and CPU time
   of the process tree, the 1-minute load average at the start of each run, since
   the machine is shared. Per module, the MB figure of the three side by side.
2. **estimate**: for the monolith, ``optional_imports`` and ``library_suite``, the
   collection saving ``analyze`` estimates for the default subset against the one
   measured: peak RSS of ``pytest --collect-only -q SUBSET`` on a copy as shipped minus
   on a migrated copy (medians of the rounds).

Prints Markdown and writes ``OUTPUT.json`` and ``OUTPUT.md``. See docs/MEASURE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from projects import prepare  # noqa: E402
from sampling import Finished, run_measured  # noqa: E402
from stats import Cost, Costs  # noqa: E402

ROOT = HERE.parent
CORPUS = ROOT / "fixtures_corpus"
MONOLITH = "fixtures_corpus/monolith/tests/conftest.py"
ESTIMATED = ("monolith", "optional_imports", "library_suite")
# Run with the tree's folder as the working directory: ``-c`` puts it first on sys.path.
DRIVER = """
import json, sys
from pathlib import Path
import splitter
from splitter.analyze.analysis import AnalyzeSettings, analyze_file
from splitter.migrate.migration import plan_conftest
path, way, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
analysis = analyze_file(path, AnalyzeSettings(fork=way != "fresh", cache_dir=cache, subset=True))
plan_conftest(path, analysis)
costs = [*analysis.modules, *(analysis.subset.costs if analysis.subset else ())]
print(json.dumps({"splitter": splitter.__file__, "costs": {c.module: c.megabytes for c in costs}}))
"""
CLI_RUNS = ("today cold", "today warm", "new cold", "new warm")
ANALYSES = ("fresh", "today", "new")  # the analysis alone: reference, today's forked, this tree's forked


@dataclass(frozen=True)
class Tree:
    """A source tree of splitter to run: this working tree, or today's exported."""

    label: str  # "today" or "new"
    folder: Path
    revision: str  # short commit, "+ changes" when the working tree differs from it


@dataclass(frozen=True)
class Speed:
    """The CLI cold and warm and the analysis alone, both trees, and the MB per module."""

    runs: dict[str, Costs]  # CLI_RUNS and ANALYSES
    loads: dict[str, list[float]]  # the 1-minute load average at the start of each run
    megabytes: dict[str, dict[str, list[float]]]  # ANALYSES -> module -> MB of each round
    trees: tuple[Tree, Tree]


def export_baseline(revision: str, scratch: Path) -> Tree:
    """``revision`` of this repository exported to a scratch folder (no worktree, no checkout)."""
    folder = scratch / "baseline"
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return Tree("today", folder, f"{revision} ({git('rev-parse', '--short', revision)})")


def this_tree() -> Tree:
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return Tree("new", ROOT, git("rev-parse", "--short", "HEAD") + (" + changes" if dirty else ""))


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def run(command: list[str], tree: Tree, cache: Path) -> Finished:
    """``command`` from the tree's folder (its splitter first on sys.path) with its own cache."""
    return run_measured(command, cwd=tree.folder, env={**os.environ, "SPLITTER_CACHE_DIR": str(cache)})


def measure_speed(repeat: int, scratch: Path, baseline: Tree) -> Speed:
    """The speed section: ``repeat`` rounds, today's code and this tree's in alternating order."""
    new = this_tree()
    costs: dict[str, list[Cost]] = {k: [] for k in (*CLI_RUNS, *ANALYSES)}
    loads: dict[str, list[float]] = {k: [] for k in costs}
    megabytes: dict[str, dict[str, list[float]]] = {k: {} for k in ANALYSES}

    def timed(key: str, command: list[str], tree: Tree, cache: Path) -> Finished:
        loads[key].append(os.getloadavg()[0])
        done = run(command, tree, cache)
        costs[key].append(done.cost)
        return done

    cli = [sys.executable, "-m", "splitter", "analyze", MONOLITH, "--json"]
    for round_number in range(repeat):
        trees = (baseline, new) if round_number % 2 == 0 else (new, baseline)
        for tree in trees:
            cache = Path(tempfile.mkdtemp(dir=scratch))
            timed(f"{tree.label} cold", cli, tree, cache)
            timed(f"{tree.label} warm", cli, tree, cache)
        ways = [("fresh", new), ("today", baseline), ("new", new)]
        for way, tree in ways if round_number % 2 == 0 else ways[::-1]:
            cache = Path(tempfile.mkdtemp(dir=scratch))
            driver = [sys.executable, "-c", DRIVER, MONOLITH, "fresh" if way == "fresh" else "forked", str(cache)]
            found = json.loads(timed(way, driver, tree, cache).output.strip().splitlines()[-1])
            assert Path(found["splitter"]).is_relative_to(tree.folder), found["splitter"]
            for module, mb in found["costs"].items():
                if mb is not None:
                    megabytes[way].setdefault(module, []).append(mb)
        log(f"speed round {round_number + 1}/{repeat}")
    return Speed({k: Costs(tuple(v)) for k, v in costs.items()}, loads, megabytes, (baseline, new))


@dataclass(frozen=True)
class Estimate:
    """One corpus: the estimated and the measured collection saving of its default subset."""

    corpus: str
    subset: str
    estimated_mb: float
    worth_it: bool
    before: Costs
    after: Costs

    @property
    def measured_mb(self) -> float:
        return self.before.rss_mb.median - self.after.rss_mb.median

    @property
    def error(self) -> float | None:
        """The estimate's error relative to the measured saving (None below 5 MB measured)."""
        if self.measured_mb < 5:
            return None
        return (self.estimated_mb - self.measured_mb) / self.measured_mb


def measure_estimates(repeat: int, scratch: Path) -> list[Estimate]:
    """The estimate section: each corpus copied, migrated, collected ``repeat`` times."""
    found = []
    for name in ESTIMATED:
        project = prepare(CORPUS / name, scratch)
        analyze = [sys.executable, "-m", "splitter", "analyze", project.conftest, "--json"]
        estimate = analyze_document(analyze, project.before)["saving_estimate"]
        subset = str(estimate["subset"])  # relative to the rootdir, the project itself here
        collect = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--collect-only", subset]
        runs: dict[str, list[Cost]] = {"before": [], "after": []}
        for round_number in range(repeat):
            order = ("before", "after") if round_number % 2 == 0 else ("after", "before")
            for state in order:
                tree = project.before if state == "before" else project.after
                runs[state].append(run_measured(collect, cwd=tree).cost)
        found.append(
            Estimate(
                name,
                subset,
                float(str(estimate["collection_saving_mb"])),
                bool(estimate["worth_it"]),
                Costs(tuple(runs["before"])),
                Costs(tuple(runs["after"])),
            )
        )
        log(f"estimate: {name}")
    return found


def analyze_document(command: list[str], cwd: Path) -> dict[str, dict[str, object]]:
    """The JSON document ``splitter analyze --json`` prints."""
    output = run_measured(command, cwd=cwd).output
    document: dict[str, dict[str, object]] = json.loads(output[output.index("{\n") :])
    return document


def speed_markdown(speed: Speed) -> list[str]:
    today, new = speed.trees
    runs = speed.runs

    def row(label: str, key: str) -> str:
        costs, load = runs[key], speed.loads[key]
        return (
            f"| {label} | {costs.wall.median:.2f} ({costs.wall.low:.2f}–{costs.wall.high:.2f}) "
            f"| {costs.cpu.median:.2f} ({costs.cpu.low:.2f}–{costs.cpu.high:.2f}) "
            f"| {statistics.median(load):.1f} ({min(load):.1f}–{max(load):.1f}) |"
        )

    def ratios(before: str, after: str) -> str:
        wall = runs[before].wall.median / runs[after].wall.median
        cpu = runs[before].cpu.median / runs[after].cpu.median
        return f"**{wall:.2f}×** wall, **{cpu:.2f}×** CPU"

    lines = [
        f"### `splitter analyze` of the monolith, today's code against this tree "
        f"({runs['new cold'].wall.count} rounds, {os.cpu_count()} cores, shared)",
        "",
        f"Today's code: {today.revision}; this tree: {new.revision}.",
        "",
        "| run | wall s | CPU s (process tree) | load average at start |",
        "| --- | ---: | ---: | ---: |",
        row("today: `splitter analyze --json`, cold", "today cold"),
        row("**new**: `splitter analyze --json`, cold", "new cold"),
        row("today: `splitter analyze --json`, warm", "today warm"),
        row("**new**: `splitter analyze --json`, warm", "new warm"),
        row("analysis alone, a fresh interpreter per module (reference), cold", "fresh"),
        row("analysis alone, today's forked measuring, cold", "today"),
        row("analysis alone, new, cold", "new"),
        "",
        f"New against today: cold {ratios('today cold', 'new cold')} faster; "
        f"warm {ratios('today warm', 'new warm')} faster.",
        "",
        "| module | MB fresh interpreter | MB today | MB new | new − fresh | new − today |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    versus_fresh, versus_today = [], []
    modules = sorted(set().union(*(speed.megabytes[k] for k in ANALYSES)))
    for module in modules:
        fresh, old, now = (statistics.median(speed.megabytes[k].get(module, [float("nan")])) for k in ANALYSES)
        versus_fresh.append(abs(now - fresh))
        versus_today.append(abs(now - old))
        lines.append(f"| {module} | {fresh:.1f} | {old:.1f} | {now:.1f} | {now - fresh:+.1f} | {now - old:+.1f} |")
    lines += [
        "",
        f"Largest difference over {len(modules)} modules: {max(versus_fresh):.1f} MB against a fresh "
        f"interpreter per module, {max(versus_today):.1f} MB against today's code.",
    ]
    return lines


def estimate_markdown(estimates: list[Estimate]) -> list[str]:
    lines = [
        "### Estimated against measured collection saving (default subset, 1 process)",
        "",
        "| corpus | subset | estimated MB | verdict | before MB | after MB | measured MB | error |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for e in estimates:
        error = "—" if e.error is None else f"{e.error:+.0%}"
        verdict = "worth splitting" if e.worth_it else "little to gain"
        lines.append(
            f"| {e.corpus} | {e.subset} | {e.estimated_mb:.1f} | {verdict} | {e.before.rss_mb.median:.1f} "
            f"| {e.after.rss_mb.median:.1f} | {e.measured_mb:.1f} | {error} |"
        )
    return lines


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    """Run both sections, print Markdown, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default="main", help="the revision that is today's code (default: main)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "analyze")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="splitter-analyze-bench-") as directory:
        scratch = Path(directory)
        os.environ["SPLITTER_CACHE_DIR"] = str(scratch / "migrate-cache")
        speed = measure_speed(options.repeat, scratch, export_baseline(options.baseline, scratch))
        estimates = measure_estimates(options.repeat, scratch)
    markdown = "\n".join([*speed_markdown(speed), "", *estimate_markdown(estimates)]) + "\n"
    print(markdown)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.with_suffix(".md").write_text(markdown, encoding="utf-8")
    results = {
        "speed": {
            "today": speed.trees[0].revision,
            "new": speed.trees[1].revision,
            "cores": os.cpu_count(),
            "runs": {key: costs.as_json() for key, costs in speed.runs.items()},
            "load_average": speed.loads,
            "megabytes": speed.megabytes,
        },
        "estimates": [
            {
                "corpus": e.corpus,
                "subset": e.subset,
                "estimated_mb": e.estimated_mb,
                "worth_it": e.worth_it,
                "before": e.before.as_json(),
                "after": e.after.as_json(),
                "measured_mb": round(e.measured_mb, 1),
                "error": None if e.error is None else round(e.error, 3),
            }
            for e in estimates
        ],
    }
    options.output.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
