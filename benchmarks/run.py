"""Run splitter's benchmarks: each figure a ratio against a floor measured in the same run.

    python benchmarks/run.py                 # everything, 3 repetitions (~15 min on 2 cores)
    python benchmarks/run.py --quick         # a short run (~3 min): fewer sizes and corpora, 1 repetition
    python benchmarks/run.py --repeat 5 --only speed

1. speed: a dry-run migration against libcst.parse_module + black.format_str of the same source;
2. collection: peak RSS and wall time of collecting each corpus before and after the split,
   in one process and with -n 2, against an empty project;
3. full-run: the whole monolith suite before and after the split;
4. verify: `splitter verify --against` a snapshot against one plain `pytest --collect-only`;
5. migrate: the default `splitter migrate` (outcomes verified) against one plain pytest run.

Prints Markdown tables and writes benchmarks/results/latest.json and latest.md
(quick.json and quick.md with --quick). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from collection import Collection, measure_collections  # noqa: E402
from projects import Project, corpora, empty_project, prepare  # noqa: E402
from speed import SpeedResult, measure_speed  # noqa: E402
from suite_run import Comparison, measure_full_run, measure_migrate, measure_verify  # noqa: E402
from tier_run import measure_tiers, tier_table  # noqa: E402
from tables import (  # noqa: E402
    collection_table,
    comparison_table,
    corpora_table,
    migrate_table,
    speed_table,
)

ROOT = HERE.parent
CORPUS = ROOT / "fixtures_corpus"
SECTIONS = ("speed", "collection", "full-run", "verify", "migrate", "tiers")
QUICK_CORPORA = ("optional_imports", "shared_state")


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    from importlib.metadata import version

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "os": platform.platform(),
        "pytest": version("pytest"),
        "pytest-xdist": version("pytest-xdist"),
        "libcst": version("libcst"),
        "black": version("black"),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run: fewer sizes and corpora")
    parser.add_argument("--repeat", type=int, help="repetitions (default 3, quick 1)")
    parser.add_argument(
        "--corpus-repeat",
        type=int,
        help="repetitions of the 17 small corpora (default 1: they collect at the floor)",
    )
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only this section (repeatable)")
    parser.add_argument("--output", type=Path, help="the JSON file (default benchmarks/results/latest.json)")
    return parser.parse_args()


def main() -> int:
    options = parse_arguments()
    repeat = options.repeat or (1 if options.quick else 3)
    corpus_repeat = options.corpus_repeat or 1
    sections = tuple(options.only or SECTIONS)
    name = "quick" if options.quick else "latest" if set(sections) == set(SECTIONS) else "-".join(sections)
    output = options.output or HERE / "results" / f"{name}.json"  # a partial run never replaces latest
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)

    info = machine()
    results: dict[str, object] = {
        "machine": info,
        "settings": {"quick": options.quick, "repeat": repeat, "corpus_repeat": corpus_repeat, "sections": sections},
    }
    markdown: list[str] = []
    failed = False  # a migrate that did not keep its split: the run exits 1 after writing its results
    with tempfile.TemporaryDirectory(prefix="splitter-bench-") as temporary:
        scratch = Path(temporary)
        if "speed" in sections:
            speed = measure_speed(CORPUS / "monolith", scratch / "speed", repeat, options.quick, log)
            results["speed"] = speed.as_json()
            markdown.append(speed_markdown(speed))
        if set(sections) & {"collection", "full-run", "verify", "tiers"}:
            projects = prepare_projects(scratch, options.quick, "collection" in sections, log)
            monolith = projects[0]
            if "collection" in sections:
                collections = measure_collections(projects, empty_project(scratch), repeat, corpus_repeat, log)
                results["collection"] = {
                    "projects": {p.name: {"split": p.split, "modules_written": p.modules} for p in projects},
                    "runs": [c.as_json() for c in collections],
                }
                markdown.append(collection_markdown(collections, projects))
            if "full-run" in sections:
                full = measure_full_run(monolith, repeat, log)
                results["full_run"] = full.as_json()
                markdown.append(comparison_markdown("3. Run-time effect: the whole monolith suite", full))
            if "tiers" in sections:
                tiers = measure_tiers(monolith, repeat, log)
                results["tiers"] = {run.name: run.as_json() for run in tiers}
                markdown.append("### 5. Run memory per tier of the monolith\n\n" + tier_table(tiers))
            if "verify" in sections:
                verify = measure_verify(monolith, repeat, log)
                results["verify"] = verify.as_json()
                markdown.append(
                    comparison_markdown("4. Verification cost on the split monolith", verify, as_ratio=True)
                )
        if "migrate" in sections:
            cost = measure_migrate(CORPUS / "monolith", scratch, repeat, log)
            results["migrate"] = cost.as_json()
            markdown.append("### 5. Cost of the default migrate (outcomes verified) on the monolith\n\n" + migrate_table(cost))
            failed = failed or not cost.kept
    results["duration_s"] = round(time.perf_counter() - started, 1)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    info["load_average_at_end"] = [round(x, 2) for x in load]
    summary = machine_markdown(info, repeat, corpus_repeat, time.perf_counter() - started)
    text = summary + "\n\n" + "\n\n".join(markdown) + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    output.with_suffix(".md").write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {output} and {output.with_suffix('.md')}")
    return 1 if failed else 0


def prepare_projects(scratch: Path, quick: bool, corpora_too: bool, log: Callable[[str], None]) -> list[Project]:
    """The monolith (and, for the collection section, the corpora), copied and migrated."""
    names = [d for d in corpora(CORPUS) if d.name == "monolith" or corpora_too]
    if quick:
        names = [d for d in names if d.name == "monolith" or d.name in QUICK_CORPORA]
    projects = []
    for corpus in names:
        log(f"migrating a copy of {corpus.name}")
        projects.append(prepare(corpus, scratch / "projects"))
    return projects


def machine_markdown(m: dict[str, object], repeat: int, corpus_repeat: int, seconds: float) -> str:
    start, end = m["load_average_at_start"], m["load_average_at_end"]
    assert isinstance(start, list) and isinstance(end, list)
    return (
        f"Measured {m['date']} on {m['cores']} cores ({m['cpu']}), Python {m['python']}, {m['os']}; "
        f"pytest {m['pytest']}, pytest-xdist {m['pytest-xdist']}, libcst {m['libcst']}, black {m['black']}. "
        f"Load average {start[0]} at the start, {end[0]} at the end (1-minute; the machine is shared, "
        f"so CPU time is the steadier figure). {repeat} repetitions (small corpora: {corpus_repeat}); "
        f"medians, (min–max). The run took {seconds:.0f} s."
    )


def speed_markdown(speed: SpeedResult) -> str:
    return (
        "### 1. Tool speed: `prepare_migration` (dry run, no verify, no measure) vs "
        "`libcst.parse_module` + `black.format_str` of the same source\n\n" + speed_table(speed)
    )


def collection_markdown(collections: list[Collection], projects: list[Project]) -> str:
    text = (
        "### 2. What the split saves: collection peak RSS (process tree) and wall time, "
        "monolith, against an empty project\n\n" + collection_table(collections, "monolith")
    )
    if len(projects) > 1:
        modules = {p.name: p.modules if p.split else 0 for p in projects}
        text += "\n\nThe small corpora, whole suite (medians):\n\n" + corpora_table(collections, modules)
    return text


def comparison_markdown(title: str, comparison: Comparison, as_ratio: bool = False) -> str:
    return f"### {title}\n\n" + comparison_table(comparison, as_ratio)


if __name__ == "__main__":
    raise SystemExit(main())
