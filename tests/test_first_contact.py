"""What a newcomer meets: the real CLI at 80 and 200 columns, on a terminal and piped.

A terminal is a real pseudo-terminal (``script``), never an emulation: rich decides
what to draw from ``isatty`` and ``COLUMNS``, exactly as in a user's shell.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpora import CORPUS

MONOLITH = CORPUS / "monolith" / "tests" / "conftest.py"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
COMMANDS = ("analyze", "graph", "migrate", "sync", "join", "restore", "verify", "profile")


def splitter(
    *args: str, columns: int | None, tty: bool, cwd: Path | None = None, cache: Path | None = None
) -> tuple[int, str, str]:
    """Run ``python -m splitter ARGS``; on a pseudo-terminal when ``tty`` (stdout and stderr merged there)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    if cache is not None:
        env["SPLITTER_CACHE_DIR"] = str(cache)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    command = [sys.executable, "-m", "splitter", *args]
    if tty:
        command = ["script", "-qefc", shlex.join(command), "/dev/null"]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    clean = ANSI.sub("", result.stdout).replace("\r\n", "\n").replace("\r", "")
    return result.returncode, clean, result.stderr


def widest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


needs_script = pytest.mark.skipif(shutil.which("script") is None, reason="util-linux `script` gives the pseudo-terminal")


@needs_script
@pytest.mark.parametrize("tty", [True, False], ids=["tty", "piped"])
@pytest.mark.parametrize("columns", [80, 200])
def test_analyze_fits_the_width_and_shows_every_column(columns: int, tty: bool) -> None:
    code, out, _ = splitter("analyze", str(MONOLITH), "--no-measure", columns=columns, tty=tty)
    assert code == 0 and widest(out) <= columns
    assert "conftest_services.py · lazy · 19 fixtures" in out and "conftest_e2e.py · lazy · 12 fixtures" in out
    assert re.search(r"\n  db_sessionmaker +function +plain +MEDIUM +—\n +needs db_engine; impact MEDIUM\n", out)


def test_piped_output_is_never_cropped() -> None:
    """Without COLUMNS, piped output has no width: long lines stay whole (a log, a file)."""
    code, out, _ = splitter("analyze", str(MONOLITH), "--no-measure", columns=None, tty=False)
    assert code == 0 and widest(out) > 100 and "…" not in out
    assert re.search(r"\n  request ← _reset_supervisor_env, .*, real_websocket_client\n", out)


@needs_script
@pytest.mark.parametrize("tty", [True, False], ids=["tty", "piped"])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("migrate", "x.py", "--dryrun"), "no such option --dryrun; did you mean --dry-run?", id="typo"),
        pytest.param(("graph", "x.py", "--format", "gif"), "invalid value for '--format': 'gif' is not one", id="format"),
        pytest.param(("migrate",), "missing argument 'CONFTEST'", id="missing"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: tuple[str, ...], message: str, tty: bool) -> None:
    code, out, err = splitter(*args, columns=80, tty=tty)
    lines = (out + err).strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert f"(see `splitter {args[0]} --help`)" in lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_python_types_and_has_examples(command: str) -> None:
    code, out, _ = splitter(command, "--help", columns=80, tty=False)
    assert code == 0 and widest(out) <= 80
    assert not re.search(r"<(bool|path|str|int|list\[str\])>|\{\w+\}", out), out
    assert "\n  Examples:\n    splitter " + command in out


def test_migrate_help_says_what_it_runs_and_how() -> None:
    out = " ".join(splitter("migrate", "--help", columns=80, tty=False)[1].split())
    assert "Usage: splitter migrate [OPTIONS] CONFTEST [-- PYTEST_ARGS...]" in out
    assert "runs pytest on the rootdir twice, before and after" in out and "--no-outcomes" in out
    assert "Without a terminal, pass --yes" in out and "-- -n 2" in out


def test_graph_image_without_graphviz_is_one_line_pointing_at_dot(tmp_path: Path) -> None:
    env_path = os.environ["PATH"]
    os.environ["PATH"] = str(tmp_path)  # no `dot` there; the interpreter is started by its full path
    try:
        code, out, err = splitter("graph", str(MONOLITH), "--format", "svg", columns=80, tty=False)
    finally:
        os.environ["PATH"] = env_path
    assert (code, out) == (2, "")
    assert err.strip() == (
        "error: --format svg needs Graphviz's `dot` on the PATH; use --format dot (or mermaid) and draw it elsewhere"
    )


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed here")
def test_graph_svg_is_drawn_with_a_cluster_per_module(tmp_path: Path) -> None:
    code, out, _ = splitter("graph", str(MONOLITH), "--format", "svg", "--no-measure", columns=80, tty=False, cwd=tmp_path)
    svg = (tmp_path / "fixtures.svg").read_text()
    assert code == 0 and out == "✓ wrote fixtures.svg (the fixture graph, drawn by Graphviz)\n"
    assert "conftest_e2e.py (lazy: loaded at first use)" in svg and "conftest_base.py (eager)" in svg


def test_migrate_in_a_log_says_each_phase_and_leaves_no_cache(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(CORPUS / "shared_state", project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    conftest = next(project.rglob("conftest.py"))
    args = ("migrate", str(conftest.relative_to(project)), "--yes", "--no-measure")
    code, out, err = splitter(*args, columns=80, tty=False, cwd=project)
    assert code == 0, err
    phases = [line for line in err.splitlines() if line.startswith("splitter: ")]
    assert "splitter: pytest (all tests), outcomes recorded (before)" in phases
    assert "splitter: pytest (all tests), outcomes recorded (after)" in phases
    assert len(phases) == len(err.splitlines()) and widest(out) <= 80
    assert "the outcomes of" in out and str(tmp_path) not in out + err
    assert not list(project.rglob(".pytest_cache"))


def test_measuring_imports_in_a_log_says_what_and_where_it_is_cached(tmp_path: Path) -> None:
    conftest = tmp_path / "conftest.py"
    conftest.write_text("import json\nimport pytest\n\n\n@pytest.fixture\ndef data():\n    return json.dumps({})\n")
    code, out, err = splitter("analyze", str(conftest), columns=80, tty=False, cache=tmp_path / "cache")
    assert code == 0 and "data" in out
    assert err == f"splitter: measuring the import cost of 2 modules (once: cached in {tmp_path / 'cache'})\n"
