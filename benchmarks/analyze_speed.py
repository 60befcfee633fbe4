"""`splitter analyze`: cold and warm speed against today's way, and the saving estimate's accuracy.

    python benchmarks/analyze_speed.py [--repeat 3] [--output benchmarks/results/analyze]

1. **speed**: the same analysis (analyze, with the default subset's tests, and the plan)
   in a fresh interpreter on the monolith, its import costs measured with an empty cache
   the old way (a fresh interpreter per module) and the new way (children forked from a
   worker that imported pytest once), in alternating order round by round; then the real
   CLI, ``python -m splitter analyze tests/conftest.py --json``, cold (empty cache) and
   warm. Wall and CPU time of the process tree; the load average before and after, since
   the machine is shared. Per module, the MB figure of both ways side by side.
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
DRIVER = """
import json, sys
from pathlib import Path
from splitter.analyze.analysis import AnalyzeSettings, analyze_file
from splitter.migrate.migration import plan_conftest
path, way, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
analysis = analyze_file(path, AnalyzeSettings(fork=way == "new", cache_dir=cache, subset=True))
plan_conftest(path, analysis)
costs = [*analysis.modules, *(analysis.subset.costs if analysis.subset else ())]
print(json.dumps({c.module: c.megabytes for c in costs}))
"""


@dataclass(frozen=True)
class Speed:
    """Cold analysis the old and the new way, the CLI cold and warm, and the MB per module."""

    old: Costs
    new: Costs
    cli_cold: Costs
    cli_warm: Costs
    old_mb: dict[str, list[float]]
    new_mb: dict[str, list[float]]
    load: tuple[float, float]  # 1-minute load average before and after


def run(command: list[str], cache: Path) -> Finished:
    """``command`` from the repository root with its own cache directory."""
    return run_measured(command, cwd=ROOT, env={**os.environ, "SPLITTER_CACHE_DIR": str(cache)})


def measure_speed(repeat: int, scratch: Path) -> Speed:
    """The speed section: ``repeat`` rounds, old and new in alternating order."""
    load = os.getloadavg()[0]
    costs: dict[str, list[Cost]] = {"old": [], "new": [], "cold": [], "warm": []}
    megabytes: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}
    for round_number in range(repeat):
        ways = ("old", "new") if round_number % 2 == 0 else ("new", "old")
        for way in ways:
            cache = Path(tempfile.mkdtemp(dir=scratch))
            done = run([sys.executable, "-c", DRIVER, MONOLITH, way, str(cache)], cache)
            costs[way].append(done.cost)
            for module, mb in json.loads(done.output.strip().splitlines()[-1]).items():
                if mb is not None:
                    megabytes[way].setdefault(module, []).append(mb)
        cache = Path(tempfile.mkdtemp(dir=scratch))
        cli = [sys.executable, "-m", "splitter", "analyze", MONOLITH, "--json"]
        costs["cold"].append(run(cli, cache).cost)
        costs["warm"].append(run(cli, cache).cost)
        log(f"speed round {round_number + 1}/{repeat}")
    return Speed(
        old=Costs(tuple(costs["old"])),
        new=Costs(tuple(costs["new"])),
        cli_cold=Costs(tuple(costs["cold"])),
        cli_warm=Costs(tuple(costs["warm"])),
        old_mb=megabytes["old"],
        new_mb=megabytes["new"],
        load=(load, os.getloadavg()[0]),
    )


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
    def row(label: str, costs: Costs) -> str:
        return (
            f"| {label} | {costs.wall.median:.2f} ({costs.wall.low:.2f}–{costs.wall.high:.2f}) "
            f"| {costs.cpu.median:.2f} ({costs.cpu.low:.2f}–{costs.cpu.high:.2f}) |"
        )

    ratio_wall = speed.old.wall.median / speed.new.wall.median
    ratio_cpu = speed.old.cpu.median / speed.new.cpu.median
    lines = [
        f"### Cold analyze of the monolith ({speed.new.wall.count} rounds, load average "
        f"{speed.load[0]:.1f} before, {speed.load[1]:.1f} after, {os.cpu_count()} cores)",
        "",
        "| analysis | wall s | CPU s (process tree) |",
        "| --- | ---: | ---: |",
        row("today's way: a fresh interpreter per module, cold", speed.old),
        row("forked children of a worker per job, cold", speed.new),
        row("`splitter analyze --json`, cold", speed.cli_cold),
        row("`splitter analyze --json`, warm", speed.cli_warm),
        "",
        f"New against today's way: **{ratio_wall:.2f}× faster** wall, **{ratio_cpu:.2f}×** CPU.",
        "",
        "| module | MB today's way | MB forked | Δ |",
        "| --- | ---: | ---: | ---: |",
    ]
    differences = []
    for module in sorted(set(speed.old_mb) | set(speed.new_mb)):
        old = statistics.median(speed.old_mb.get(module, [float("nan")]))
        new = statistics.median(speed.new_mb.get(module, [float("nan")]))
        differences.append(abs(new - old))
        lines.append(f"| {module} | {old:.1f} | {new:.1f} | {new - old:+.1f} |")
    lines += ["", f"Largest difference: {max(differences):.1f} MB over {len(differences)} modules."]
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
    parser.add_argument("--output", type=Path, default=HERE / "results" / "analyze")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="splitter-analyze-bench-") as directory:
        scratch = Path(directory)
        os.environ["SPLITTER_CACHE_DIR"] = str(scratch / "migrate-cache")
        speed = measure_speed(options.repeat, scratch)
        estimates = measure_estimates(options.repeat, scratch)
    markdown = "\n".join([*speed_markdown(speed), "", *estimate_markdown(estimates)]) + "\n"
    print(markdown)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.with_suffix(".md").write_text(markdown, encoding="utf-8")
    results = {
        "speed": {
            "old": speed.old.as_json(),
            "new": speed.new.as_json(),
            "cli_cold": speed.cli_cold.as_json(),
            "cli_warm": speed.cli_warm.as_json(),
            "load_average": list(speed.load),
            "megabytes": {"old": speed.old_mb, "new": speed.new_mb},
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
