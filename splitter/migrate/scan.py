"""scan: every conftest of a tree, analyzed, planned and estimated, for one ranked table (I/O: reads only).

``splitter scan [PATH]`` answers "where in this repository would a split pay?".
It finds every ``conftest.py`` under PATH the way the repository sees its files
(``git ls-files --cached --others --exclude-standard`` in a git checkout, so
``.gitignore`` holds; otherwise a walk that skips pytest's default
``norecursedirs``, those a pytest configuration in the tree sets, and
virtualenvs), then runs on each what ``splitter analyze`` runs (measured imports,
cached the same way) and the saving estimate. It writes nothing into the tree:
measuring imports writes no bytecode there, and the pytest floor runs on a file
in a temporary folder without a cache folder.

A conftest that cannot be read or parsed is a row with its one-line error; an
already split one (a ``conftest_loader.py`` beside it, or the loader marker in
it) is a row marked as split, not analyzed again.
"""

from __future__ import annotations

import configparser
import fnmatch
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from splitter.analyze.analysis import AnalyzeSettings, analyze_file
from splitter.analyze.cache import default_cache_dir
from splitter.analyze.measure import Progress
from splitter.errors import UserError
from splitter.files import SKIPPED_DIRS, read_source
from splitter.migrate.planning import plan_conftest, saving_estimate
from splitter.model import SavingEstimate
from splitter.analyze.split import LOADER_STEM, is_split

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

LOADER_MODULE = f"{LOADER_STEM}.py"
CONFIG_SECTIONS = (("pytest.ini", "pytest"), (".pytest.ini", "pytest"), ("tox.ini", "pytest"), ("setup.cfg", "tool:pytest"))
Step = Callable[[int, int, Path], None]  # (done, total, conftest) before each conftest


@dataclass(frozen=True)
class ScanSettings:
    """How to scan: measure imports (with which interpreter) or rate from static signals only."""

    measure: bool = True
    interpreter: str = sys.executable
    cache_dir: Path = field(default_factory=default_cache_dir)


@dataclass(frozen=True)
class ScanRow:
    """One conftest of the tree: what it is, and what a split would save."""

    path: str  # relative to the scanned folder, with forward slashes
    lines: int | None = None
    fixtures: int | None = None
    split: bool = False  # already split by splitter
    estimate: SavingEstimate | None = None  # None when split, without tests, or not measured
    error: str | None = None  # why it could not be analyzed (one line)

    @property
    def saving_mb(self) -> float:
        """What a test file that needs no heavy fixture saves while collecting (0 when unknown)."""
        light = self.estimate.light_file if self.estimate is not None else None
        return light.saving_mb if light is not None else 0.0


@dataclass(frozen=True)
class ScanResult:
    """Every conftest found, most to gain first."""

    root: Path
    listed_by: str  # "git" or "walk"
    rows: tuple[ScanRow, ...]
    measured: bool


def scan_tree(
    path: Path, settings: ScanSettings = ScanSettings(), step: Step | None = None, progress: Progress | None = None
) -> ScanResult:
    """Find, analyze and estimate every conftest under ``path`` (nothing is written into it)."""
    if not path.is_dir():
        raise UserError(f"{path} is not a folder: give the folder to scan (default: the current one)")
    found, listed_by = find_conftests(path)
    rows = []
    for number, conftest in enumerate(found):
        if step is not None:
            step(number, len(found), conftest)
        rows.append(scan_conftest(conftest, path, settings, progress))
    ranked = sorted(rows, key=lambda r: (r.estimate is None, -r.saving_mb, r.path))
    return ScanResult(root=path, listed_by=listed_by, rows=tuple(ranked), measured=settings.measure)


def scan_conftest(conftest: Path, root: Path, settings: ScanSettings, progress: Progress | None = None) -> ScanRow:
    """One row: the conftest read, analyzed and planned like ``splitter analyze`` does, or its error."""
    shown = conftest.relative_to(root).as_posix()
    try:
        text = read_source(conftest).text
    except UserError as exc:
        return ScanRow(shown, error=one_line(exc.message))
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    split = (conftest.parent / LOADER_MODULE).is_file() or is_split(text)
    analyzing = AnalyzeSettings(
        measure=settings.measure and not split,
        interpreter=settings.interpreter,
        cache_dir=settings.cache_dir,
        subset=not split,
    )
    try:
        analysis = analyze_file(conftest, analyzing, progress)
        fixtures = len(analysis.graph.nodes)
        if split or not fixtures:
            return ScanRow(shown, lines, fixtures, split=split)
        estimate = saving_estimate(conftest, analysis, plan_conftest(conftest, analysis), settings.interpreter, settings.cache_dir)
    except UserError as exc:
        return ScanRow(shown, lines, split=split, error=one_line(exc.message))
    except Exception as exc:  # noqa: BLE001 - one conftest's surprise must not hide the others' rows
        return ScanRow(shown, lines, split=split, error=f"internal error — please report: {type(exc).__name__}: {exc}")
    return ScanRow(shown, lines, fixtures, estimate=estimate if settings.measure else None)


def one_line(message: str) -> str:
    """The first line of a message (a syntax error's, say)."""
    return message.strip().splitlines()[0] if message.strip() else message


# -- finding the conftests -------------------------------------------------------------


def find_conftests(root: Path) -> tuple[list[Path], str]:
    """Every ``conftest.py`` under ``root``, sorted, and how they were listed ("git" or "walk")."""
    listed = git_files(root)
    if listed is not None:
        found = [root / name for name in listed if Path(name).name == "conftest.py"]
        return sorted(p for p in found if p.is_file()), "git"
    return sorted(walk(root)), "walk"


def git_files(root: Path) -> list[str] | None:
    """The files git knows or would add under ``root`` (``.gitignore`` respected), None outside a checkout."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=root,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


def walk(root: Path) -> Iterator[Path]:
    """Conftests under ``root``, skipping what pytest would not recurse into.

    pytest's default ``norecursedirs`` and virtualenvs, and below a folder with a
    pytest configuration, the ``norecursedirs`` it sets as well.
    """
    skipped: dict[str, tuple[str, ...]] = {}
    for current, folders, files in os.walk(root):
        here = Path(current)
        patterns = skipped.get(current, SKIPPED_DIRS) + configured_norecursedirs(here)
        folders[:] = sorted(
            f
            for f in folders
            if not any(fnmatch.fnmatch(f, p) for p in patterns) and not (here / f / "pyvenv.cfg").is_file()
        )
        for folder in folders:
            skipped[os.path.join(current, folder)] = patterns
        if "conftest.py" in files:
            yield here / "conftest.py"


def configured_norecursedirs(folder: Path) -> tuple[str, ...]:
    """The ``norecursedirs`` a pytest configuration file in ``folder`` sets (none when it sets none)."""
    found: list[str] = []
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        value = data.get("tool", {}).get("pytest", {}).get("ini_options", {}).get("norecursedirs")
        if isinstance(value, str):
            found += value.split()
        elif isinstance(value, list):
            found += [str(v) for v in value]
    for name, section in CONFIG_SECTIONS:
        candidate = folder / name
        if not candidate.is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(candidate, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        if parser.has_option(section, "norecursedirs"):
            found += parser.get(section, "norecursedirs").split()
    return tuple(found)
