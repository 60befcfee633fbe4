"""Star-imported fixture modules: collecting the light tests before and after the split, against the floor.

The corpus ``star_fixture_modules`` star-imports hand-split fixture modules
(SQLAlchemy, FastAPI, pandas) into its conftest. For ``tests/unit`` — tests that
request only the conftest's light fixtures — this collects three copies of it:

- **before**: as shipped;
- **after**: migrated the way a user would (``splitter migrate tests/conftest.py
  --yes --no-verify``, import costs measured);
- **floor**: as shipped, with an empty ``tests/conftest.py``: what collecting the
  same test modules costs when the conftest imports nothing.

Each is ``python -m pytest -p no:cacheprovider -q --collect-only tests/unit`` in one
process (and ``-n 2 -k <matches nothing>``, as in section 2), interleaved round by
round; peak RSS is the process tree's. Removed = (before − after) / (before − floor).

    python benchmarks/star_modules.py [--repeat 5] [--output benchmarks/results/star_modules.md]
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import sys
import tempfile
from pathlib import Path

from collection import MIN_REMOVABLE_MB, Mode
from projects import IGNORED
from sampling import run_measured
from stats import Cost, Costs, share_removed

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "fixtures_corpus" / "star_fixture_modules"
TARGET = "tests/unit"


def copies(scratch: Path) -> dict[str, Path]:
    """The corpus before, after the split, and with an empty conftest (the floor)."""
    trees = {state: scratch / state for state in ("before", "after", "floor")}
    for tree in trees.values():
        shutil.copytree(CORPUS, tree, ignore=IGNORED)
    (trees["floor"] / "tests" / "conftest.py").write_text("")
    command = [sys.executable, "-m", "splitter", "migrate", "tests/conftest.py", "--yes", "--no-verify"]
    run_measured(command, cwd=trees["after"])
    for tree in trees.values():
        compileall.compile_dir(tree, quiet=2)
    return trees


def measure(trees: dict[str, Path], repeat: int) -> dict[Mode, dict[str, Costs]]:
    runs: dict[tuple[Mode, str], list[Cost]] = {}
    for mode in Mode:  # warm: pytest rewrites asserts on first import
        command, accept = mode.command(TARGET)
        for tree in trees.values():
            run_measured(command, cwd=tree, accept=accept)
    for _ in range(repeat):
        for mode in Mode:
            command, accept = mode.command(TARGET)
            for state, tree in trees.items():
                runs.setdefault((mode, state), []).append(run_measured(command, cwd=tree, accept=accept).cost)
    return {mode: {state: Costs(tuple(runs[(mode, state)])) for state in trees} for mode in Mode}


def markdown(results: dict[Mode, dict[str, Costs]], repeat: int) -> str:
    lines = [
        f"### Star-imported fixture modules: collecting `{TARGET}` of `star_fixture_modules` "
        f"(peak RSS of the process tree, median of {repeat}, min–max)",
        "",
        "| collecting | before MB | after MB | floor MB (empty conftest) | removable memory removed "
        "| before wall s | after wall s | floor wall s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, costs in results.items():
        rss = {state: c.rss_mb for state, c in costs.items()}
        share = share_removed(rss["before"].median, rss["after"].median, rss["floor"].median, MIN_REMOVABLE_MB)
        cells = [f"{rss[s].median:.0f} ({rss[s].low:.0f}–{rss[s].high:.0f})" for s in ("before", "after", "floor")]
        walls = [f"{costs[s].wall.median:.2f}" for s in ("before", "after", "floor")]
        shown = "—" if share != share else f"**{share:.0%}**"
        row = [f"{TARGET}, {mode.value}", cells[0], f"**{cells[1]}**", cells[2], shown, *walls]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "star_modules.md")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="splitter-star-") as scratch:
        results = measure(copies(Path(scratch)), options.repeat)
    text = markdown(results, options.repeat)
    options.output.write_text(text, encoding="utf-8")
    data = {
        mode.value: {state: costs.as_json() for state, costs in by_state.items()} for mode, by_state in results.items()
    }
    options.output.with_suffix(".json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
