"""The default migrate on real open-source projects ("wild" run, issue 13).

For each project below, one at a time:

1. a throwaway venv under a temporary directory (``python3 -m venv``), with the
   project's released artifact from the package index (a binary wheel for the
   compiled scientific libraries, the sdist otherwise), its test dependencies, and
   the splitter checkout under test (``pip install -e --splitter``);
2. the tests laid out as the project runs them (the unpacked wheel or sdist is the
   rootdir, with the project's pytest settings);
3. the test subset run plainly (``pytest --junitxml``): outcome per test;
4. ``splitter migrate CONFTEST --yes -- SUBSET`` with default flags: exit code and the
   last lines of its output; whether it rolled back, and whether the rollback left the
   tree byte-identical;
5. if the split was kept: the subset run plainly again, and the outcome of every test
   compared with step 3 from pytest's own JUnit XML (independent of splitter's
   verifier); tests that differ are run on the restored tree once more, so that a
   flaky test is told apart from a change; collection peak RSS of the subset
   (``--collect-only``, max RSS of the pytest process) on the split and on the
   restored tree;
6. ``splitter restore CONFTEST``: the conftest byte-identical (sha256) and every other
   file of the tree back as it was.

Results go to ``benchmarks/results/wild/<project>.json`` (one file each, so a run
with ``--only NAME`` replaces that project's row only) and the table in
``docs/WILD.md`` (between its ``wild:begin``/``wild:end`` markers) is rebuilt from all
of them. Not part of the test suite; needs the package index and about an hour.

    python benchmarks/wild.py                        # every project
    python benchmarks/wild.py --only pandas --only celery
    python benchmarks/wild.py --splitter /path/to/other/checkout --keep
    python benchmarks/wild.py --table-only           # rebuild docs/WILD.md from the JSON

Each step has a timeout and each project a time budget (``--timeout``, seconds);
pytest runs use one process (``-p no:xdist``) or ``-n 2`` where the project's own
settings require xdist.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "wild"
DOC = REPO / "docs" / "WILD.md"
BEGIN, END = "<!-- wild:begin -->", "<!-- wild:end -->"


@dataclasses.dataclass(frozen=True)
class Project:
    name: str
    dist: str  # name on the package index
    kind: str  # "wheel" (binary, unpacked as the rootdir) or "sdist"
    conftest: str  # relative to the rootdir
    subset: tuple[str, ...]  # pytest arguments that select the subset
    deps: tuple[str, ...] = ()  # test dependencies (pip requirement strings)
    extras: str = ""  # extras of the project itself, e.g. "test"
    args: tuple[str, ...] = ("-p", "no:xdist")  # added to every pytest run
    collect_args: tuple[str, ...] = ("-p", "no:xdist")
    ini: str = ""  # pytest.ini written at the top of the unpacked artifact, if it ships none
    cwd: str = ""  # where pytest and splitter run, relative to the unpacked artifact
    also_install: tuple[str, ...] = ()  # installed from the index after the project
    # environment of every command, each value formatted with {work}: the run's temp dir
    env: tuple[tuple[str, str], ...] = ()
    what: str = ""
    # probe rows: (file relative to cwd, old text, new text) edits applied before anything
    # runs, each the smallest change that keeps the conftest's behaviour but steps around
    # a failure already known, to see what comes after it
    edits: tuple[tuple[str, str, str], ...] = ()
    probe_of: str = ""


PROJECTS: dict[str, Project] = {
    p.name: p
    for p in [
        Project(
            name="pandas",
            dist="pandas",
            kind="wheel",
            extras="test",
            # the wheel ships pandas/pyproject.toml with the project's pytest settings, so
            # pytest's rootdir is the package directory: run from there, as pytest sees it
            cwd="pandas",
            conftest="conftest.py",
            subset=(
                "tests/indexes/test_any_index.py",
                "tests/frame/methods/test_sort_values.py",
                "tests/series/methods/test_astype.py",
                "tests/arithmetic/test_numeric.py",
            ),
            what="dataframes (scientific, binary wheel)",
        ),
        Project(
            name="scipy",
            dist="scipy",
            kind="wheel",
            deps=("pytest", "hypothesis", "pooch"),
            conftest="scipy/conftest.py",
            subset=(
                "scipy/cluster/tests",
                "scipy/_lib/tests/test_array_api.py",
                "scipy/special/tests/test_logsumexp.py",
            ),
            ini="[pytest]\nxfail_strict = true\n",
            what="scientific computing (binary wheel)",
        ),
        Project(
            name="scikit-learn",
            dist="scikit-learn",
            kind="wheel",
            deps=("pytest",),
            conftest="sklearn/conftest.py",
            subset=(
                "sklearn/tests/test_base.py",
                "sklearn/preprocessing/tests/test_encoders.py",
            ),
            ini="[pytest]\nxfail_strict = true\n",
            what="machine learning (binary wheel)",
        ),
        Project(
            name="celery",
            dist="celery",
            kind="sdist",
            deps=(
                "pytest",
                "pytest-subtests",
                "pytest-timeout",
                "pytest-click",
                "pytest-order",
                "pytest-rerunfailures",
                "freezegun",
            ),
            conftest="t/unit/conftest.py",
            subset=("t/unit/app/test_app.py", "t/unit/tasks/test_tasks.py"),
            what="task queue (sdist, t/unit)",
        ),
        Project(
            name="poetry",
            dist="poetry",
            kind="sdist",
            deps=(
                "pytest>=9",
                "pytest-mock",
                "pytest-xdist",
                "responses",
                "jaraco.classes",
                "dulwich",
                "deepdiff",
                "httpretty",
            ),
            conftest="tests/conftest.py",
            subset=(
                "tests/console/commands/test_show.py",
                "tests/installation/test_installer.py",
            ),
            # its settings say `addopts = -n logical`: two workers at most here
            args=("-n", "2"),
            collect_args=("-n", "0"),
            what="package manager (sdist)",
        ),
        Project(
            name="hatch",
            dist="hatch",
            kind="sdist",
            deps=(
                "pytest",
                "pytest-mock",
                "filelock",
                "flit-core",
                "trustme",
                "editables",
            ),
            also_install=("hatchling",),
            conftest="tests/conftest.py",
            subset=("tests/cli/new", "tests/project/test_config.py", "tests/project/test_core.py"),
            what="project manager / build tool (sdist)",
        ),
        Project(
            name="dvc",
            dist="dvc",
            kind="sdist",
            extras="tests",
            # an application suite: fixtures star-imported from the installed package
            # (`from dvc.testing.fixtures import *`) and from the project's own helper modules
            conftest="tests/conftest.py",
            subset=(
                "tests/unit/test_params.py",
                "tests/unit/test_ignore.py",
                "tests/unit/stage",
                "tests/unit/test_run.py",
                "tests/unit/test_dvcfile.py",
                "tests/unit/test_lockfile.py",
            ),
            # its fixtures request xdist's `worker_id`: xdist stays loaded, with no workers
            args=("-n", "0"),
            collect_args=("-n", "0"),
            what="data version control, an application (sdist)",
        ),
        Project(
            name="zarr",
            dist="zarr",
            kind="sdist",
            deps=("pytest", "pytest-asyncio", "hypothesis", "tomlkit", "fsspec", "pytest-benchmark", "pytest-accept"),
            conftest="tests/conftest.py",
            subset=("tests/test_array.py", "tests/test_group.py", "tests/test_indexing.py"),
            what="chunked arrays (sdist, src layout)",
        ),
        Project(
            name="pyarrow",
            dist="pyarrow",
            kind="wheel",
            deps=("pytest", "hypothesis", "numpy", "pandas"),
            # groups/defaults are built under `if`s in pyarrow/conftest.py; tests/ imports them
            conftest="pyarrow/tests/conftest.py",
            subset=("pyarrow/tests/test_array.py", "pyarrow/tests/test_table.py"),
            what="columnar memory (binary wheel)",
        ),
        Project(
            name="jupyterhub",
            dist="jupyterhub",
            kind="sdist",
            # a web service on tornado + SQLAlchemy: the conftest imports the app's ORM, roles,
            # crypto, its MockHub and a test module (`from .test_services import mockservice_cmd`)
            deps=(
                "pytest",
                "pytest-asyncio>=1.1",
                "requests-mock",
                "mock",
                "cryptography",
                "beautifulsoup4[html5lib]",
                "jsonschema",
            ),
            conftest="jupyterhub/tests/conftest.py",
            # files whose tests need no `app` (it starts configurable-http-proxy, an npm
            # package not installed here) beside test_orm.py, whose tests mostly use `db`
            subset=(
                "jupyterhub/tests/test_orm.py",
                "jupyterhub/tests/test_crypto.py",
                "jupyterhub/tests/test_utils.py",
                "jupyterhub/tests/test_memoize.py",
                "jupyterhub/tests/test_slugs.py",
                "jupyterhub/tests/test_objects.py",
            ),
            what="multi-user notebook server: web service with an ORM (sdist)",
        ),
        Project(
            name="pretalx",
            dist="pretalx",
            kind="sdist",
            # a Django project (conference management): the conftest imports the app's models
            # (events, submissions, schedules, people) and django-scopes, lxml; pytest-django
            deps=("pytest", "pytest-django", "pytest-mock", "responses", "drf-spectacular~=0.29.0"),
            cwd="src",
            conftest="tests/conftest.py",
            subset=(
                "tests/submission/test_submission_model.py",
                "tests/schedule/test_schedule_model.py",
                "tests/person/test_user_model.py",
                "tests/common/test_common_utils.py",
                "tests/common/test_diff_utils.py",
                "tests/common/test_common_css.py",
            ),
            # the sdist ships no pytest settings: the project's test settings module
            ini="[pytest]\nDJANGO_SETTINGS_MODULE = pretalx.common.settings.test_settings\n",
            # its settings write a secret and a log under src/data at import: outside the tree
            env=(("PRETALX_DATA_DIR", "{work}/pretalx-data"),),
            what="conference management, a Django project (sdist, src layout)",
        ),
        Project(
            name="sqlmesh",
            dist="sqlmesh",
            kind="sdist",
            # a data application: the conftest imports duckdb, pandas, sqlglot and the app's
            # Context, plan evaluator, engine adapters (the package itself bans module-level
            # duckdb/pandas imports)
            deps=("pytest", "pytest-mock", "pytest-asyncio", "pytest-xdist"),
            conftest="tests/conftest.py",
            subset=(
                "tests/core/test_snapshot.py",
                "tests/core/test_macros.py",
                "tests/core/test_dialect.py",
                "tests/utils/test_dag.py",
                "tests/utils/test_jinja.py",
                "tests/utils/test_yaml.py",
            ),
            # its settings say `addopts = -n 0 --dist=loadgroup`: xdist stays loaded
            args=("-n", "0"),
            collect_args=("-n", "0"),
            what="data transformation framework, an application (sdist)",
        ),
        Project(
            name="pip-tools",
            dist="pip-tools",
            kind="sdist",
            extras="testing",
            # a command-line tool: the conftest imports pip's internals (finder, session,
            # install command) and piptools' resolvers, repositories and cache
            conftest="tests/conftest.py",
            subset=(
                "tests/test_cli_sync.py",
                "tests/test_sync.py",
                "tests/test_utils.py",
                "tests/test_writer.py",
                "tests/test_logging.py",
            ),
            # its settings say `addopts = --numprocesses=auto`: two workers at most here
            args=("-n", "2"),
            collect_args=("-n", "0"),
            what="pip-compile / pip-sync, a command-line tool (sdist)",
        ),
    ]
}


def _probe(base: str, note: str, edits, args: tuple[str, ...] = ()) -> Project:
    b = PROJECTS[base]
    return dataclasses.replace(
        b, name=f"{base}-probe", edits=tuple(edits), args=b.args + args, probe_of=base, what=note
    )


# Each probe steps past a failure of its base row that is known (docs/WILD.md says which):
# the imported data the split makes unreachable as `conftest.NAME`, read through its module
PROBES = [
    _probe(
        "sqlmesh",
        "probe: `IS_WINDOWS` read as `_windows.IS_WINDOWS` (wild_heavy_data_import)",
        [
            (
                "tests/conftest.py",
                "from sqlmesh.utils.windows import IS_WINDOWS, fix_windows_path\n",
                "from sqlmesh.utils import windows as _windows\nfrom sqlmesh.utils.windows import fix_windows_path\n",
            ),
            ("tests/conftest.py", "            if IS_WINDOWS:\n", "            if _windows.IS_WINDOWS:\n"),
        ],
    ),
    _probe(
        "pip-tools",
        "probe: `DEFAULT_CONFIG_FILE_NAMES` read as `_locations.DEFAULT_CONFIG_FILE_NAMES` "
        "(wild_heavy_data_import)",
        [
            (
                "tests/conftest.py",
                "from piptools.locations import DEFAULT_CONFIG_FILE_NAMES\n",
                "from piptools import locations as _locations\n",
            ),
            ("tests/conftest.py", "= DEFAULT_CONFIG_FILE_NAMES[0],", "= _locations.DEFAULT_CONFIG_FILE_NAMES[0],"),
        ],
    ),
]
PROJECTS.update({p.name: p for p in PROBES})


# -- small helpers -----------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis", ".splitter", ".splitter-cache"}


def log(msg: str) -> None:
    print(f"[wild {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Budget:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self, cap: float) -> float:
        left = self.end - time.monotonic()
        if left <= 5:
            raise TimeoutError("project time budget used up")
        return min(cap, left)


def run(cmd, *, cwd, env, budget: Budget, cap: float = 600, logfile: Path | None = None):
    """Run a command; returns (exit code, output). Exit 124 on timeout."""
    t0 = time.monotonic()
    try:
        proc = subprocess.run(
            [str(c) for c in cmd],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=budget.left(cap),
            start_new_session=True,
        )
        rc, out = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        rc, out = 124, out + "\n[wild] timed out\n"
    out = ANSI.sub("", out)
    if logfile is not None:
        with logfile.open("a") as fh:
            fh.write(f"\n$ {' '.join(map(str, cmd))}   (cwd {cwd}, {time.monotonic() - t0:.0f}s, exit {rc})\n")
            fh.write(out)
    return rc, out


def cold_analyze(venv: Path, conftest: Path, cwd: Path, env, budget: Budget, logfile: Path) -> dict:
    """``splitter analyze --json`` with an empty cache (HOME is the project's fresh one):
    wall and CPU (its process tree), the modules it measured, and its per-file estimate."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    try:
        done = subprocess.run(
            [str(venv / "bin/splitter"), "analyze", str(conftest), "--json"],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=budget.left(900), check=False,
        )
    except subprocess.TimeoutExpired:
        return {"analyze_exit": 124}
    wall = time.monotonic() - t0
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    with logfile.open("a") as fh:
        fh.write(f"\n$ splitter analyze {conftest} --json   ({wall:.0f}s, exit {done.returncode})\n{done.stderr}")
    found: dict = {
        "analyze_exit": done.returncode,
        "analyze_wall": round(wall, 1),
        "analyze_cpu": round(used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime, 1),
    }
    try:
        data = json.loads(done.stdout)
    except ValueError:
        return found
    estimate = data.get("saving_estimate") or {}
    found["analyze_modules"] = (data.get("from_cache") or {}).get("modules")
    found["estimate_light_file"] = estimate.get("light_file")
    found["estimate_lower_bound"] = estimate.get("lower_bound")
    return found


# migrate's cost table row for the light test file it collects alone: "│ collect FILE │ 130 → 41 MB │"
LIGHT_ROW = re.compile(r"collect (\S+\.py)\s*│\s*([\d.]+) → ([\d.]+) MB")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(root: Path) -> dict[str, str]:
    """path -> sha256 of every file under root, caches and backups left out."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for f in filenames:
            if f.endswith((".pyc", ".pyo")):
                continue
            p = Path(dirpath, f)
            out[str(p.relative_to(root))] = sha256(p)
    return out


def tree_diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    diff = [f"+{k}" for k in sorted(b.keys() - a.keys())]
    diff += [f"-{k}" for k in sorted(a.keys() - b.keys())]
    diff += [f"~{k}" for k in sorted(a.keys() & b.keys()) if a[k] != b[k]]
    return diff


def junit_outcomes(path: Path) -> dict[str, str]:
    """nodeid-like key -> passed/failed/error/skipped/xfailed, from pytest's JUnit XML."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for case in ET.parse(path).getroot().iter("testcase"):
        key = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome = "passed"
        for child in case:
            if child.tag == "failure":
                outcome = "failed"
            elif child.tag == "error":
                outcome = "error"
            elif child.tag == "skipped":
                outcome = "xfailed" if child.get("type") == "pytest.xfail" else "skipped"
        n, k = 1, key
        while k in out:  # same key twice (e.g. a teardown error entry): keep both
            n += 1
            k = f"{key}#{n}"
        out[k] = outcome
    return out


def summary(outcomes: dict[str, str]) -> str:
    counts: dict[str, int] = {}
    for o in outcomes.values():
        counts[o] = counts.get(o, 0) + 1
    order = ["passed", "failed", "error", "skipped", "xfailed"]
    return ", ".join(f"{counts[o]} {o}" for o in order if counts.get(o))


def compare(before: dict[str, str], after: dict[str, str]) -> list[str]:
    diffs = []
    for k in sorted(before.keys() | after.keys()):
        a, b = before.get(k, "absent"), after.get(k, "absent")
        if a != b:
            diffs.append(f"{k}: {a} -> {b}")
    return diffs


PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def collect_rss(venv: Path, proj: Path, args: list[str], env, budget: Budget) -> float | None:
    """Peak RSS (MB) of one `pytest --collect-only` of the subset, min of two runs."""
    vals = []
    for _ in range(2):
        rc, out = run(
            [venv / "bin/python", "-c", PEAK, venv / "bin/pytest", "--collect-only", "-q", *args],
            cwd=proj,
            env=env,
            budget=budget,
            cap=300,
        )
        try:
            vals.append(int(out.strip().splitlines()[-1]) / 1024)
        except (ValueError, IndexError):
            pass
    return round(min(vals), 1) if vals else None


EMPTY_PROBE = "test_splitter_empty_probe.py"


def empty_file_rss(venv: Path, proj: Path, conftest: Path, extra: list[str], env, budget: Budget) -> float | None:
    """Peak RSS (MB) of collecting a test file that imports and requests nothing, beside the conftest:
    analyze's per-file estimate is for such a file. Written for the measurement and removed after
    (every tree hash of the run is taken without it)."""
    probe = conftest.parent / EMPTY_PROBE
    probe.write_text("def test_nothing():\n    pass\n")
    try:
        return collect_rss(venv, proj, [os.path.relpath(probe, proj), "-p", "no:cacheprovider", *extra], env, budget)
    finally:
        probe.unlink(missing_ok=True)


def first_cause(text: str) -> str:
    """The first line of the migrate output that says what went wrong, if any."""
    lines = [ln.strip() for ln in text.splitlines()]
    for i, ln in enumerate(lines):
        if ln.startswith("E ") or ln.startswith(("error:", "internal error")) or "Error:" in ln:
            return ln
        if ln.startswith("✗"):
            nxt = [x for x in lines[i + 1 : i + 8] if x.startswith(("E ", "•"))]
            return f"{ln} {nxt[0] if nxt else ''}".strip()
    return ""


def last_lines(text: str, n: int = 8) -> list[str]:
    lines = [ln.rstrip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-n:]


# -- one project ---------------------------------------------------------------------


def fetch(p: Project, cache: Path, env, budget: Budget, logfile: Path) -> Path:
    dest = cache / (p.probe_of or p.name)
    dest.mkdir(parents=True, exist_ok=True)
    found = sorted(dest.glob("*.whl" if p.kind == "wheel" else "*.tar.gz"))
    if found:
        return found[-1]
    flag = "--only-binary" if p.kind == "wheel" else "--no-binary"
    rc, out = run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", flag, ":all:", p.dist, "-d", dest],
        cwd=cache,
        env=env,
        budget=budget,
        logfile=logfile,
    )
    found = sorted(dest.glob("*.whl" if p.kind == "wheel" else "*.tar.gz"))
    if rc != 0 or not found:
        raise RuntimeError(f"pip download failed: {last_lines(out, 3)}")
    return found[-1]


def unpack(artifact: Path, work: Path) -> Path:
    proj = work / "proj"
    if artifact.suffix == ".whl":
        with zipfile.ZipFile(artifact) as zf:
            zf.extractall(proj)
        for info in proj.glob("*.dist-info"):
            shutil.rmtree(info)
    else:
        src = work / "src"
        with tarfile.open(artifact) as tf:
            tf.extractall(src, filter="data")
        (top,) = list(src.iterdir())
        top.rename(proj)
        src.rmdir()
    return proj


def version_of(artifact: Path) -> str:
    name = artifact.name
    return name.split("-")[1].removesuffix(".tar.gz")


def run_project(p: Project, splitter: Path, cache: Path, timeout: float, keep: bool) -> dict:
    budget = Budget(timeout)
    t_start = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=f"wild-{p.name}-"))
    logfile = RESULTS / f"{p.name}.log"
    logfile.write_text("")
    res: dict = {"project": p.name, "probe_of": p.probe_of, "what": p.what, "subset": list(p.subset), "cwd": p.cwd, "work": str(work)}
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "PYTHON", "VIRTUAL_ENV", "PIP_"))
    }
    env.update(
        HOME=str(work / "home"),
        PIP_CACHE_DIR=str(cache / "pip"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NO_COLOR="1",
        COLUMNS="200",
        TERM="dumb",
    )
    env.update({k: v.format(work=work) for k, v in p.env})
    (work / "home").mkdir()
    try:
        log(f"{p.name}: fetching")
        artifact = fetch(p, cache, env, budget, logfile)
        res["version"] = version_of(artifact)
        proj = unpack(artifact, work)
        if p.ini:
            (proj / "pytest.ini").write_text(p.ini)
        top, proj = proj, proj / p.cwd  # proj: where the commands run
        for rel, old, new in p.edits:
            text = (proj / rel).read_text()
            if text.count(old) != 1:
                raise RuntimeError(f"probe edit does not apply to {rel}: {old[:40]!r}")
            (proj / rel).write_text(text.replace(old, new))
        conftest = proj / p.conftest
        res["conftest_lines"] = len(conftest.read_text().splitlines())
        venv = work / "venv"
        env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
        env["VIRTUAL_ENV"] = str(venv)
        log(f"{p.name} {res['version']}: venv and install ({res['conftest_lines']} conftest lines)")
        run([sys.executable, "-m", "venv", venv], cwd=work, env=env, budget=budget, logfile=logfile)
        target = artifact if p.kind == "wheel" else top
        spec = f"{p.dist}[{p.extras}] @ {target.as_uri()}" if p.extras else str(target)
        rc, out = run(
            [venv / "bin/pip", "install", "-q", spec, *p.deps, "-e", splitter],
            cwd=work, env=env, budget=budget, logfile=logfile, cap=900,
        )
        if rc != 0:
            raise RuntimeError(f"install failed: {last_lines(out, 3)}")
        if p.also_install:
            run([venv / "bin/pip", "install", "-q", *p.also_install], cwd=work, env=env, budget=budget, logfile=logfile)
        run([venv / "bin/pip", "freeze"], cwd=work, env=env, budget=budget, logfile=logfile)

        plain_env = dict(env, PYTHONHASHSEED="0")
        args = [*p.subset, "-p", "no:cacheprovider", "-q", *p.args]

        def plain(tag: str, extra: list[str] = ()) -> tuple[dict[str, str], int, float]:
            xml = work / f"junit-{tag}.xml"
            t0 = time.monotonic()
            rc, out = run(
                [venv / "bin/pytest", *args, *extra, f"--junitxml={xml}"],
                cwd=proj, env=plain_env, budget=budget, logfile=logfile,
            )
            res[f"run_{tag}_tail"] = last_lines(out, 2)
            res[f"run_{tag}_failures"] = [
                ln[:240] for ln in out.splitlines() if ln.startswith(("FAILED ", "ERROR "))
            ][:30]
            m = re.search(r"(\d+) warnings?\b", "\n".join(last_lines(out, 2)))
            res[f"{tag}_warnings"] = int(m.group(1)) if m else 0
            return junit_outcomes(xml), rc, time.monotonic() - t0

        original = tree(top)
        sha0 = sha256(conftest)
        log(f"{p.name}: plain run of the subset")
        before, rc_b, secs = plain("before")
        res.update(tests=len(before), before=summary(before), before_exit=rc_b, plain_seconds=round(secs))
        if not before:
            raise RuntimeError(f"the plain run collected nothing: {res['run_before_tail']}")

        log(f"{p.name}: cold splitter analyze")
        res.update(cold_analyze(venv, conftest, proj, env, budget, logfile))

        log(f"{p.name}: splitter migrate (default flags)")
        t0 = time.monotonic()
        rc_m, out_m = run(
            [venv / "bin/splitter", "migrate", conftest, "--yes", "--", *args],
            cwd=proj, env=env, budget=budget, logfile=logfile,
        )
        res.update(
            migrate_exit=rc_m,
            migrate_seconds=round(time.monotonic() - t0),
            migrate_tail=last_lines(out_m, 12),
            migrate_cause=first_cause(out_m),
        )
        light = LIGHT_ROW.search(out_m)
        if light:
            res["light_file"] = {"path": light.group(1), "before_mb": float(light.group(2)), "after_mb": float(light.group(3))}
        kept = sha256(conftest) != sha0
        res["kept"] = kept
        if not kept:
            left = tree_diff(original, tree(top))
            res["rollback"] = rc_m == 1  # exit 2: refused before writing anything
            res["rollback_exact"] = not left
            res["rollback_left"] = left[:20]
            res["restore_exact"] = None
            return res

        res["generated"] = tree_diff(original, tree(top))[:30]
        log(f"{p.name}: plain run on the split")
        after, rc_a, _ = plain("after")
        diffs = compare(before, after)
        res.update(after=summary(after), after_exit=rc_a)
        if diffs:
            # run the differing tests again later, on the restored tree: flaky or changed?
            res["diffs_raw"] = diffs[:200]
        log(f"{p.name}: collection RSS on the split")
        res["rss_after_mb"] = collect_rss(venv, proj, [*p.subset, "-p", "no:cacheprovider", *p.collect_args], plain_env, budget)
        res["empty_after_mb"] = empty_file_rss(venv, proj, conftest, list(p.collect_args), plain_env, budget)

        log(f"{p.name}: splitter restore")
        rc_r, out_r = run([venv / "bin/splitter", "restore", conftest], cwd=proj, env=env, budget=budget, logfile=logfile)
        left = tree_diff(original, tree(top))
        res.update(
            restore_exit=rc_r,
            restore_tail=last_lines(out_r, 3),
            restore_exact=(sha256(conftest) == sha0 and not left),
            restore_left=left[:20],
        )
        res["rss_before_mb"] = collect_rss(venv, proj, [*p.subset, "-p", "no:cacheprovider", *p.collect_args], plain_env, budget)
        res["empty_before_mb"] = empty_file_rss(venv, proj, conftest, list(p.collect_args), plain_env, budget)
        if res["rss_before_mb"] and res["rss_after_mb"]:
            res["mb_saved"] = round(res["rss_before_mb"] - res["rss_after_mb"], 1)
        if diffs:
            log(f"{p.name}: {len(diffs)} outcome(s) differ; a second plain run on the restored tree")
            again, _, _ = plain("restored")
            flaky = [d for d in diffs if again.get(d.split(": ")[0], "absent") != before.get(d.split(": ")[0], "absent")]
            res["flaky"] = flaky[:50]
            diffs = [d for d in diffs if d not in flaky]
        res["diffs"] = diffs[:200]
        res["n_diffs"] = len(diffs)
        res["outcomes_identical"] = not diffs
        return res
    except Exception as exc:  # noqa: BLE001 - one project's failure must not stop the rest
        res["error"] = f"{type(exc).__name__}: {exc}"
        return res
    finally:
        res["seconds"] = round(time.monotonic() - t_start)
        if keep:
            log(f"{p.name}: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# -- the table -----------------------------------------------------------------------


def yn(v) -> str:
    return "—" if v is None else ("yes" if v else "**no**")


def result_cell(r: dict) -> str:
    if "error" in r and "migrate_exit" not in r:
        return f"not run ({r['error'][:60]})"
    rc = r.get("migrate_exit")
    tail = " ".join(r.get("migrate_tail", [])[-3:])
    if rc == 0 and r.get("kept"):
        word = "✓ kept"
    elif rc == 0:
        word = "nothing to do"
    elif rc == 124:
        word = "timed out"
    elif "internal error" in tail.lower():
        word = "internal error, rolled back" if r.get("rollback") else "internal error"
    elif r.get("rollback"):
        word = "rolled back"
    elif rc == 2:
        word = "refused, nothing written"
    else:
        word = "failed"
    return f"{rc}: {word}"


def table(results: list[dict]) -> str:
    rows = [
        "| project | conftest lines | subset | tests (plain run) | migrate exit: result "
        "| outcomes identical? | rolled back? | rollback/restore exact? | collection MB before → after (saved) | time |",
        "|---|---:|---|---|---|---|---|---|---|---:|",
    ]
    for r in results:
        if r.get("kept"):
            ident = yn(r.get("outcomes_identical"))
            if r.get("outcomes_identical") is False:
                ident += f" ({r['n_diffs']} differ)"
            if r.get("before_warnings") != r.get("after_warnings"):
                ident += f"; warnings {r.get('before_warnings')} → {r.get('after_warnings')}"
            exact = yn(r.get("restore_exact"))
            rb = "no"
        elif "migrate_exit" in r:
            ident = "— (not kept)"
            rb = "yes" if r.get("rollback") else "no"
            exact = yn(r.get("rollback_exact"))
        else:
            ident = rb = exact = "—"
        mb = "—"
        if r.get("rss_before_mb") and r.get("rss_after_mb"):
            mb = f"{r['rss_before_mb']:.1f} → {r['rss_after_mb']:.1f} ({r.get('mb_saved', 0):.1f})"
        subset = "<br>".join(f"`{s}`" for s in r.get("subset", []))
        if r.get("cwd"):
            subset = f"(from `{r['cwd']}/`)<br>{subset}"
        tests = f"{r.get('tests', '—')}: {r.get('before', '')}" if r.get("tests") else "—"
        rows.append(
            f"| {r['project']} {r.get('version', '')} | {r.get('conftest_lines', '—')} | {subset} | {tests} "
            f"| {result_cell(r)} | {ident} | {rb} | {exact} | {mb} | {r.get('seconds', 0) // 60} min |"
        )
    return "\n".join(rows)


def per_file_table(results: list[dict]) -> str:
    """Issue 22: analyze's per-file estimate (cold) against collecting one file, measured before and after."""
    rows = [
        "| project | migrate's light test file: MB before → after (saved) | an empty test file beside the conftest: "
        "MB before → after (saved) | analyze's estimate for such a file | estimate within 20 % or 5 MB of the empty file? "
        "| cold analyze: modules, wall, CPU |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        light, estimate = r.get("light_file"), r.get("estimate_light_file")
        mine = empty = est = within = "—"
        if light:
            saved = light["before_mb"] - light["after_mb"]
            mine = f"`{light['path']}`: {light['before_mb']:.0f} → {light['after_mb']:.0f} ({saved:.0f})"
        elif r.get("kept"):
            mine = "none picked (every selected file imports something heavy)"
        if r.get("empty_before_mb") and r.get("empty_after_mb"):
            saved = r["empty_before_mb"] - r["empty_after_mb"]
            empty = f"{r['empty_before_mb']:.0f} → {r['empty_after_mb']:.0f} ({saved:.0f})"
            if estimate:
                off = abs(estimate["saving_mb"] - saved)
                within = f"{'yes' if off <= max(5.0, 0.2 * abs(saved)) else '**no**'} ({off:.0f} MB apart)"
        if estimate:
            bound = "at least " if r.get("estimate_lower_bound") and not estimate.get("measured") else ""
            how = ", measured" if estimate.get("measured") else ""
            est = f"{bound}{estimate['before_mb']:.0f} → {estimate['after_mb']:.0f} ({estimate['saving_mb']:.0f}{how})"
        cold = "—"
        if r.get("analyze_wall") is not None:
            cold = f"{r.get('analyze_modules', '?')} modules, {r['analyze_wall']:.0f} s, {r['analyze_cpu']:.0f} s CPU"
        rows.append(f"| {r['project']} | {mine} | {empty} | {est} | {within} | {cold} |")
    return "\n".join(rows)


def details(results: list[dict]) -> str:
    out = []
    for r in results:
        out.append(f"**{r['project']} {r.get('version', '')}** — {r.get('what', '')}")
        if "error" in r:
            out.append(f"- error in the script's run: `{r['error'][:300]}`")
        if "migrate_tail" in r:
            if r.get("migrate_cause"):
                out.append(f"- first cause in migrate's output: `{r['migrate_cause'][:200]}`")
            out.append(
                f"- migrate exit {r['migrate_exit']} after {r.get('migrate_seconds')} s; last lines:"
            )
            out.append("")
            out.append("  ```text")
            out.extend(f"  {ln[:200]}" for ln in r["migrate_tail"])
            out.append("  ```")
        if r.get("kept"):
            out.append(f"- plain run before: {r.get('before')}; on the split: {r.get('after')}")
            for d in r.get("diffs", [])[:10]:
                out.append(f"  - changed: `{d[:200]}`")
            for ln in r.get("run_after_failures", []):
                if ln not in r.get("run_before_failures", []) and r.get("diffs"):
                    out.append(f"    - on the split: `{ln[:200]}`")
            if r.get("n_diffs", 0) > 10:
                out.append(f"  - … {r['n_diffs'] - 10} more")
            for d in r.get("flaky", [])[:5]:
                out.append(f"  - flaky (differed on the restored tree too, not counted): `{d[:200]}`")
        for key in ("rollback_left", "restore_left"):
            if r.get(key):
                out.append(f"- files not back as they were ({key}): {', '.join(r[key][:10])}")
        out.append("")
    return "\n".join(out)


def write_doc(results: list[dict]) -> None:
    meta = {}
    for r in results:
        meta.setdefault("dates", set()).add(r.get("date", "?"))
        meta.setdefault("pythons", set()).add(r.get("python", "?"))
    block = "\n".join(
        [
            BEGIN,
            f"Run on {', '.join(sorted(meta.get('dates', [])))} (UTC), Python {', '.join(sorted(meta.get('pythons', [])))}, "
            f"{platform.system()} {platform.machine()}, splitter code at commit(s) "
            f"{', '.join(sorted({r.get('splitter_commit', '?') for r in results}))}; "
            f"whole run {sum(r.get('seconds', 0) for r in results) // 60} min.",
            "",
            table(results),
            "",
            "**Per test file** (issue 22): migrate collects one selected test file that needs no heavy",
            "fixture on its own, before and after the split (its cost table's `collect FILE` row), when",
            "the selection has one; the script also collects an empty test file written beside the",
            "conftest (and removed) on the split and on the restored tree, which is the file analyze's",
            "estimate describes. A cold `splitter analyze --json` (empty cache) ran first, under the same",
            "load as the rest of the run.",
            "",
            per_file_table(results),
            "",
            details(results),
            END,
        ]
    )
    text = DOC.read_text() if DOC.exists() else f"# Wild run\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOC.write_text(head + block + tail)


def load_results() -> list[dict]:
    out = []
    for name in PROJECTS:
        f = RESULTS / f"{name}.json"
        if f.exists():
            out.append(json.loads(f.read_text()))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=sorted(PROJECTS), help="run this project (repeatable)")
    ap.add_argument("--splitter", type=Path, default=REPO, help="splitter checkout to install (default: this one)")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "splitter-wild", help="downloads")
    ap.add_argument("--timeout", type=float, default=1500, help="time budget per project, seconds")
    ap.add_argument("--keep", action="store_true", help="keep each project's temporary directory")
    ap.add_argument("--table-only", action="store_true", help="rebuild docs/WILD.md from the saved results")
    ns = ap.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    ns.cache.mkdir(parents=True, exist_ok=True)
    if not ns.table_only:
        splitter = ns.splitter.resolve()
        # the last commit that changed the product (splitter/), and whether it is edited
        commit = subprocess.run(
            ["git", "-C", splitter, "log", "-1", "--format=%h", "--", "splitter"], capture_output=True, text=True
        ).stdout.strip() or "?"
        if subprocess.run(["git", "-C", splitter, "diff", "--quiet", "HEAD", "--", "splitter"]).returncode:
            commit += "+edits"
        for name in ns.only or list(PROJECTS):
            r = run_project(PROJECTS[name], splitter, ns.cache.resolve(), ns.timeout, ns.keep)
            r.update(
                date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d"),
                python=platform.python_version(),
                splitter_commit=commit,
            )
            (RESULTS / f"{name}.json").write_text(json.dumps(r, indent=1, default=str) + "\n")
            log(f"{name}: {result_cell(r)}; outcomes identical: {yn(r.get('outcomes_identical'))}; {r.get('seconds')} s")
    write_doc(load_results())
    return 0


if __name__ == "__main__":
    sys.exit(main())
