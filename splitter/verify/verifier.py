"""``splitter verify``: record the fixture API of a tree and compare it with a baseline.

The baseline is a saved snapshot (``--against``) or, by default, the legacy
tree re-created from the migrate backup. ``--save`` records the tree as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from splitter import __version__
from splitter.errors import ExitCode, UserError
from splitter.files import display_path, find_rootdir, pytest_args_from_rootdir
from splitter.safety.manifest import DIRECTORY, FILENAME, load_manifest
from splitter.safety.preflight import check_interpreter, check_not_interrupted
from splitter.verify.compare import DiffKind, Difference, compare
from splitter.verify.imports import SKIPPED_DIRS, scan_conftest_imports
from splitter.verify.legacy import legacy_tree
from splitter.verify.run import Mode, PytestCall, PytestResult, run_pytest
from splitter.verify.snapshot import (
    ApiSnapshot,
    ConftestImport,
    Measurement,
    Recording,
    api_from_plugin,
    recording_from_json,
    recording_to_json,
)

Progress = Callable[[str], None]

# Fail fast (issue 21): a run after a split stops once this many tests changed outcome, or
# once STOP_EARLY did and they are at least half of the tests run so far (a split that breaks
# most tests is decided: running more only costs time); changed tests are re-run (to tell
# flakiness from a change) only when there are at most MAX_RERUNS.
STOP_AFTER = 50
STOP_EARLY = 10
MAX_RERUNS = 50


@dataclass(frozen=True)
class VerifySettings:
    """What ``splitter verify`` was asked to do."""

    path: Path
    save: Path | None = None
    against: Path | None = None
    outcomes: bool = True  # run the tests and compare each one's outcome
    subsets: tuple[str, ...] = ()
    pytest_args: tuple[str, ...] = ()
    python: str = sys.executable

    @property
    def mode(self) -> str:
        """'against' a snapshot, 'save' only, or 'legacy' (the migrate backup)."""
        return "against" if self.against else "save" if self.save else "legacy"


@dataclass(frozen=True)
class PytestFailure:
    """A pytest run of the current tree that did not complete."""

    label: str
    exit_code: int
    command: str
    tail: str
    recorded: (
        bool  # whether the plugin still wrote its snapshot (e.g. collection errors)
    )


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of ``splitter verify``."""

    mode: str
    baseline: str  # what the tree was compared with, for the reader
    before: Recording | None
    after: Recording
    differences: tuple[Difference, ...]
    failures: tuple[PytestFailure, ...]
    saved_to: Path | None = None

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.differences or self.failures else ExitCode.OK


def verify(
    settings: VerifySettings, progress: Progress = lambda _: None
) -> VerifyResult:
    """Record the tree, compare it with the baseline, optionally save it."""
    if not settings.path.exists():
        raise UserError(f"{settings.path} does not exist")
    if settings.path.is_file():
        check_not_interrupted(settings.path)
    check_interpreter(settings.python)
    rootdir = find_rootdir(settings.path)
    settings = replace(
        settings,
        pytest_args=pytest_args_from_rootdir(settings.pytest_args, rootdir, Path.cwd()),
        subsets=tuple(_subset(s, rootdir) for s in settings.subsets),
    )
    before, baseline = _baseline(settings, rootdir, progress)
    extra = before.api.imports if before else ()
    progress("recording the current tree")
    baseline_api = before.api if before else None
    after, failures = record_tree(rootdir, settings, extra, progress, baseline_api)
    if settings.save:
        if failures:
            raise UserError(_refusal("the current tree", failures[0]))
        settings.save.write_text(recording_to_json(after), encoding="utf-8")
    api_recorded = not any(f.label == "collect" and not f.recorded for f in failures)
    differences: tuple[Difference, ...] = ()
    if before and api_recorded:
        after, differences = confirm_outcomes(
            rootdir, settings, before.api, after, progress
        )
    return VerifyResult(
        settings.mode, baseline, before, after, differences, failures, settings.save
    )


def _subset(subset: str, rootdir: Path) -> str:
    """A --subset path as pytest sees it from the rootdir (it may be given from the cwd)."""
    path = Path(subset)
    if not path.is_absolute() and (rootdir / path).exists():
        return path.as_posix()
    if not path.exists():
        raise UserError(f"--subset {subset} does not exist")
    try:
        return path.resolve().relative_to(rootdir).as_posix()
    except ValueError:
        raise UserError(
            f"--subset {subset} is not inside the rootdir {rootdir}"
        ) from None


def _baseline(
    settings: VerifySettings, rootdir: Path, progress: Progress
) -> tuple[Recording | None, str]:
    if settings.against:
        if not settings.against.is_file():
            raise UserError(f"snapshot {settings.against} does not exist")
        recording = recording_from_json(
            settings.against.read_text(encoding="utf-8"), str(settings.against)
        )
        return recording, str(settings.against)
    if settings.save:
        return None, ""
    conftest_dir = find_manifest_dir(settings.path)
    manifest = load_manifest(conftest_dir)
    progress("recording the legacy tree from the migrate backup")
    with legacy_tree(rootdir, conftest_dir, manifest) as copy:
        recording, failures = record_tree(copy, settings, (), progress)
    if failures:
        raise UserError(
            _refusal("the legacy tree re-created from the backup", failures[0])
        )
    return recording, f"the legacy conftest ({display_path(conftest_dir / manifest.backup)})"


def record_tree(
    rootdir: Path,
    settings: VerifySettings,
    extra_imports: Iterable[ConftestImport],
    progress: Progress,
    baseline: ApiSnapshot | None = None,
) -> tuple[Recording, tuple[PytestFailure, ...]]:
    """The API (and outcomes) and measurements of one tree, and the pytest runs that failed.

    One pytest run records the API and, unless ``settings.outcomes`` is off, runs the
    tests too; under xdist the API needs a collect-only run of its own. The names of
    the ``baseline``'s conftest namespaces are looked up in this tree.
    """
    imports = _merge_imports(scan_conftest_imports(rootdir), extra_imports)
    base = PytestCall(
        rootdir, settings.python, Mode.API, "collect", settings.pytest_args,
        imports=tuple((i.module, i.name) for i in imports),
        run_tests=settings.outcomes, probes=_probes(baseline),
        **_fail_fast(baseline),
    )  # fmt: skip
    what = " ".join(settings.pytest_args) or "(all tests)"
    progress(f"pytest {what}, outcomes recorded" if settings.outcomes else f"pytest --collect-only {what}")
    results = [run_pytest(base)]
    if results[0].payload and results[0].payload.get("distributed"):
        progress(f"pytest --collect-only {what} (the API, apart from the xdist run)")
        results.insert(0, run_pytest(replace(base, run_tests=False)))
    stopped = any(r.payload and r.payload.get("stopped") for r in results) or not all(r.ok for r in results)
    for subset in () if stopped else settings.subsets:  # a run that stopped early is decided: measure nothing more
        progress(f"pytest --collect-only {subset}")
        args = (*_options(settings.pytest_args, rootdir), subset)
        results.append(
            run_pytest(
                replace(base, mode=Mode.MEASURE, label=f"collect {subset}", args=args)
            )
        )
    api = _api(results, imports)
    measurements = tuple(m for r in results for m in r.measurements)
    failures = tuple(_failure(r) for r in results if not r.ok)
    return Recording(api, measurements, __version__), failures


def _path_of(argument: str, rootdir: Path) -> str | None:
    """The path a pytest argument selects (``tests/unit::test_a`` -> ``tests/unit``), None for an option."""
    path = argument.split("::")[0]
    return path if not argument.startswith("-") and (rootdir / path).exists() else None


def selected_paths(args: Sequence[str], rootdir: Path) -> list[str]:
    """The paths the pytest arguments select, from the rootdir."""
    return [p for a in args if (p := _path_of(a, rootdir)) is not None]


def _options(args: Sequence[str], rootdir: Path) -> tuple[str, ...]:
    """The pytest arguments without the paths they select: a subset is collected alone."""
    return tuple(a for a in args if _path_of(a, rootdir) is None)


def _fail_fast(baseline: ApiSnapshot | None) -> dict[str, Any]:
    """What the run after a split needs to stop as soon as the answer is known (docs/VERIFY.md):
    before the tests when collection already differs, after ``STOP_AFTER`` changed outcomes,
    or ``STOP_EARLY`` that are at least half of the tests run."""
    if baseline is None:
        return {}
    return {
        "closures": tuple((item.nodeid, tuple(sorted(item.closure))) for item in baseline.items),
        "expected": baseline.outcomes or (),
        "stop_after": STOP_AFTER,
        "stop_early": STOP_EARLY,
    }


def _probes(baseline: ApiSnapshot | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if baseline is None:
        return ()
    return tuple(
        (n.path, tuple(name for name, _ in n.names)) for n in baseline.namespaces
    )


def _api(
    results: list[PytestResult], imports: tuple[ConftestImport, ...]
) -> ApiSnapshot:
    api = api_from_plugin(results[0].payload or {})
    checked = {(i.module, i.name): i.error for i in api.imports}
    api = replace(
        api,
        imports=tuple(
            replace(i, error=checked.get((i.module, i.name))) for i in imports
        ),
    )
    runs = [r for r in results if r.call.runs_tests and r.payload is not None]
    if runs:
        api = replace(api, outcomes=api_from_plugin(runs[0].payload or {}).outcomes)
    return api


def confirm_outcomes(
    rootdir: Path,
    settings: VerifySettings,
    before: ApiSnapshot,
    after: Recording,
    progress: Progress,
) -> tuple[Recording, tuple[Difference, ...]]:
    """The differences, after re-running once each test whose outcome changed.

    A test that gives its old outcome again was flaky, not changed; its re-run
    outcome replaces the first one.
    """
    differences = compare(before, after.api)
    changed = tuple(
        d.test for d in differences if d.kind is DiffKind.OUTCOME and d.test
    )
    if not changed or after.api.outcomes is None or after.api.stopped or len(changed) > MAX_RERUNS:
        return after, differences  # so many changed (or the run stopped on them): not flakiness
    progress(f"re-running {len(changed)} tests whose outcome changed")
    call = PytestCall(
        rootdir, settings.python, Mode.OUTCOMES, "rerun", settings.pytest_args,
        only=changed,
    )  # fmt: skip
    rerun = run_pytest(call).payload or {}
    outcomes = {**dict(after.api.outcomes), **(rerun.get("outcomes") or {})}
    api = replace(after.api, outcomes=tuple(sorted(outcomes.items())))
    return replace(after, api=api), compare(before, api)


def _merge_imports(
    found: Iterable[ConftestImport], extra: Iterable[ConftestImport]
) -> tuple[ConftestImport, ...]:
    merged: dict[tuple[str, str], ConftestImport] = {}
    for entry in (*extra, *found):
        merged[(entry.module, entry.name)] = replace(entry, error=None)
    return tuple(merged[key] for key in sorted(merged))


def _failure(result: PytestResult) -> PytestFailure:
    command = " ".join(result.call.command)
    return PytestFailure(
        result.call.label,
        result.exit_code,
        command,
        result.tail(),
        result.payload is not None,
    )


def _refusal(tree: str, failure: PytestFailure) -> str:
    return (
        f"pytest did not complete on {tree} ({failure.label}, exit code {failure.exit_code}); "
        f"its output ends with:\n{failure.tail}"
    )


def find_manifest_dir(path: Path) -> Path:
    """The directory holding ``.splitter/manifest.json``: next to the conftest, or found below PATH."""
    path = path.resolve()
    if path.is_file():
        return path.parent
    found = sorted(p.parent.parent for p in _manifests_below(path, depth=3))
    if len(found) > 1:
        places = ", ".join(str(p) for p in found)
        raise UserError(
            f"several migration backups found ({places}); pass the conftest.py"
        )
    if not found:
        raise UserError(
            f"no migration backup found next to {path}; use --against or --save"
        )
    return found[0]


def _manifests_below(directory: Path, depth: int) -> Iterable[Path]:
    candidate = directory / DIRECTORY / FILENAME
    if candidate.is_file():
        yield candidate
    if depth > 0:
        for child in sorted(directory.iterdir()):
            if child.is_dir() and child.name not in SKIPPED_DIRS:
                yield from _manifests_below(child, depth - 1)


__all__ = [
    "Measurement",
    "PytestFailure",
    "VerifyResult",
    "VerifySettings",
    "verify",
]
