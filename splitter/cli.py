"""The ``splitter`` command line: thin typer commands over the library.

Each command builds its settings, calls one library function, renders the
result and returns an exit code from :class:`splitter.errors.ExitCode`.
User-fixable problems print one line and exit 2; anything unexpected prints
"internal error — please report" (and where) instead of a traceback, and exits 3.
"""

from __future__ import annotations

import enum
import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape

from splitter import __version__
from splitter.errors import REPORT_URL, ExitCode, UserError

if TYPE_CHECKING:
    from splitter.model import Analysis
    from splitter.plan.assign import SplitPlan

app = typer.Typer(
    name="splitter",
    help="Split a monolithic pytest conftest.py into lazily loaded modules, "
    "proving the fixture API is unchanged.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
UNCROPPED_WIDTH = 1000  # piped output: lines stay whole (a log or a file has no width)


def make_console(stderr: bool = False) -> Console:
    """A console that fits a terminal (or ``COLUMNS``) and never crops piped output."""
    console = Console(stderr=stderr)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = UNCROPPED_WIDTH
    return console


out = make_console()
err = make_console(stderr=True)

# Arguments are described in each command's docstring: typer's argument table shows Python types.
PathArg = Annotated[Path, typer.Argument(show_default=False, metavar="CONFTEST", hidden=True)]
PytestArgs = Annotated[Optional[list[str]], typer.Argument(show_default=False, metavar="PYTEST_ARGS", hidden=True)]


class Command(typer.core.TyperCommand):
    """A command whose usage line reads like a man page (``CONFTEST``, not ``{CONFTEST}``)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage pieces, with the pytest arguments shown after their ``--``."""
        pieces = [piece.replace("{", "").replace("}", "") for piece in super().collect_usage_pieces(ctx)]
        return [("[-- PYTEST_ARGS...]" if piece == "[PYTEST_ARGS]..." else piece) for piece in pieces]


PythonOpt = Annotated[
    Optional[str],
    typer.Option(
        "--python", metavar="PYTHON", help="The project's Python, to run pytest with (default: this one)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


class GraphFormat(str, enum.Enum):
    """Output formats of ``splitter graph``."""

    text = "text"
    dot = "dot"
    mermaid = "mermaid"
    svg = "svg"
    png = "png"


def run(command: Callable[[], int]) -> None:
    """Run a command body and exit with its code; one line per user error, no tracebacks."""
    try:
        code = command()
    except UserError as exc:
        err.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted", highlight=False)
        code = ExitCode.FAILED
    except Exception as exc:  # noqa: BLE001 - the boundary that turns bugs into one line
        err.print(f"[bold red]internal error — please report:[/] {escape(internal_error(exc))}", highlight=False, soft_wrap=True)
        code = ExitCode.INTERNAL_ERROR
    raise typer.Exit(int(code))


def internal_error(exc: BaseException) -> str:
    """A bug of splitter's in one line: the exception, the versions, and where to report it."""
    python = ".".join(map(str, sys.version_info[:3]))
    return (
        f"{type(exc).__name__}: {exc} (splitter {__version__}, Python {python}; "
        f"open an issue at {REPORT_URL} with the command you ran and this line)"
    )


@contextmanager
def progress_lines(first: str, in_logs: bool = True) -> Iterator[Callable[[str], None]]:
    """Report the phases of a long step: a spinner on a terminal, one plain line each otherwise.

    A CI log gets ``splitter: <phase>`` lines on stderr instead of a minute of silence,
    from the first phase the library reports, and only for steps that run pytest
    (``in_logs``): the checks before them fail with a single line.
    """
    if err.is_terminal:
        with err.status(f"{first}…") as status:
            yield lambda step: status.update(f"{step}…")
        return
    if in_logs:
        yield lambda step: err.print(f"splitter: {step}", highlight=False, soft_wrap=True)
    else:
        yield lambda step: None


def shown(path: Path) -> str:
    """``path`` as the user would type it (relative to the current directory when inside it)."""
    from splitter.files import display_path

    return display_path(path)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"splitter {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Split a monolithic pytest conftest.py into lazily loaded modules."""


def examples(*commands: str) -> str:
    """A help epilog listing example commands, one per line (``\\b`` keeps click from rewrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {command}" for command in commands)


@app.command(
    cls=Command,
    epilog=examples(
        "splitter analyze tests/conftest.py",
        "splitter analyze tests/conftest.py --no-measure   # static only, fast",
        "splitter analyze tests/conftest.py --json > analysis.json",
    )
)
def analyze(
    path: PathArg,
    json_output: JsonOpt = False,
    no_measure: Annotated[
        bool, typer.Option("--no-measure", help="Rate impact from static signals only.")
    ] = False,
    python: Annotated[
        Optional[str],
        typer.Option("--python", metavar="PYTHON", help="The project's Python, to measure imports (default: this one)."),
    ] = None,
) -> None:
    """Fixtures, kinds, dependencies, impact and the planned module of each.

    CONFTEST is the conftest.py to read; nothing is written.
    Impact is measured by importing each module the conftest imports in a clean
    interpreter (cached in ~/.cache/splitter; $SPLITTER_CACHE_DIR moves it).
    """

    def body() -> int:
        from splitter.report import analysis as report

        from splitter.migrate.planning import saving_estimate

        analysis, plan = analyze_and_plan(path, no_measure, python, subset=True)
        estimate = None if plan is None else saving_estimate(path, analysis, plan, interpreter(python))
        if json_output:
            typer.echo(report.analysis_json(analysis, plan, estimate), nl=False)
        else:
            out.print(report.fixture_listing(analysis, plan, estimate))
            out.print(report.analysis_summary(analysis), highlight=False)
        return ExitCode.OK

    run(body)


def interpreter(python: str | None) -> str:
    """The ``--python`` to run: splitter's own by default; a path given relative to where the
    user stands made absolute, since pytest runs from the rootdir and checks from elsewhere
    (a bare name such as ``python3`` is left to the ``PATH``)."""
    if not python:
        return sys.executable
    separators = (os.sep, os.altsep) if os.altsep else (os.sep,)
    return os.path.abspath(python) if any(s in python for s in separators) else python


def analyze_and_plan(
    path: Path, no_measure: bool, python: str | None = None, subset: bool = False
) -> tuple[Analysis, SplitPlan | None]:
    """The analysis of ``path`` (imports measured with ``python``) and its split plan (``None`` once split)."""
    from splitter.analyze.analysis import AnalyzeSettings, analyze_source, require_fixtures
    from splitter.files import read_source
    from splitter.migrate.planning import is_migrated, plan_conftest, registered_source
    from splitter.report.analysis import measurement_progress

    source = read_source(path).text
    with measurement_progress(err) as progress:
        measuring = AnalyzeSettings(measure=not no_measure, interpreter=interpreter(python), subset=subset)
        analysis = analyze_source(path, registered_source(path, source), measuring, progress)
    require_fixtures(analysis.model)
    return analysis, None if is_migrated(source) else plan_conftest(path, analysis)


@app.command(
    cls=Command,
    epilog=examples(
        "splitter graph tests/conftest.py --format svg     # needs Graphviz",
        "splitter graph tests/conftest.py --format dot | dot -Tpng > g.png",
        "splitter graph tests/conftest.py --format mermaid # for GitHub",
    )
)
def graph(
    path: PathArg,
    output_format: Annotated[
        GraphFormat,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="text, dot, mermaid, or svg/png (drawn by Graphviz's dot).",
        ),
    ] = GraphFormat.text,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="FILE", help="Where to write svg/png (default: fixtures.FORMAT)."),
    ] = None,
    no_measure: Annotated[
        bool, typer.Option("--no-measure", help="Rate impact from static signals only.")
    ] = False,
) -> None:
    """The fixture dependency graph, grouped by the module each fixture goes to.

    CONFTEST is the conftest.py to read; nothing is written but the -o file.

    Boxes are coloured by impact; lazy modules are marked; cycles are red.
    """

    def body() -> int:
        from splitter.report import analysis as report

        drawn = output_format in (GraphFormat.svg, GraphFormat.png)
        dot = shutil.which("dot") if drawn else None
        if drawn and dot is None:
            raise UserError(
                f"--format {output_format.value} needs Graphviz's `dot` on the PATH; "
                "use --format dot (or mermaid) and draw it elsewhere"
            )
        analysis, plan = analyze_and_plan(path, no_measure)
        if dot is not None:
            target = output or Path(f"fixtures.{output_format.value}")
            draw_graph(dot, report.graph_dot(analysis, plan), output_format.value, target)
            out.print(f"✓ wrote {shown(target)} (the fixture graph, drawn by Graphviz)", highlight=False)
            return ExitCode.OK
        if output_format is GraphFormat.text:
            typer.echo(report.graph_text(analysis), nl=False)
        else:
            render = report.graph_dot if output_format is GraphFormat.dot else report.graph_mermaid
            typer.echo(render(analysis, plan), nl=False)
        return ExitCode.OK

    run(body)


def draw_graph(dot: str, source: str, image_format: str, target: Path) -> None:
    """Draw the dot ``source`` with Graphviz into ``target`` (written atomically)."""
    from splitter.safety.disk import atomic_write

    drawn = subprocess.run([dot, f"-T{image_format}"], input=source.encode(), capture_output=True, check=False)
    if drawn.returncode != 0:
        message = drawn.stderr.decode(errors="replace").strip().splitlines()
        raise UserError(f"Graphviz's dot failed: {message[-1] if message else drawn.returncode}")
    try:
        atomic_write(target, drawn.stdout)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror}") from None


def show_diff(diff: str) -> None:
    """The diff, highlighted on a terminal (long lines wrap); piped (``> review.diff``), as is.

    Rich fits what it prints to the console's width (80 columns when piped), which
    would crop a diff's long lines: the plain text goes out untouched instead.
    """
    if out.is_terminal:
        from rich.syntax import Syntax

        out.print(Syntax(diff, "diff", theme="ansi_dark", background_color="default", word_wrap=True))
    else:
        out.file.write(diff)
        out.file.flush()


@app.command(
    cls=Command,
    epilog=examples(
        "splitter migrate tests/conftest.py --dry-run     # the diff, no writes",
        "splitter migrate tests/conftest.py --yes -- -n 2 # pytest gets -n 2",
        "splitter migrate tests/conftest.py --no-outcomes # faster: collect only",
    )
)
def migrate(
    path: PathArg,
    pytest_args: PytestArgs = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the diff, write nothing.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if a migration would change anything.")
    ] = False,
    no_verify: Annotated[bool, typer.Option("--no-verify", help="Skip the pytest check.")] = False,
    full_run: Annotated[
        bool, typer.Option("--full-run", hidden=True, help="Accepted; outcomes are compared by default.")
    ] = False,
    no_outcomes: Annotated[
        bool, typer.Option("--no-outcomes", help="Do not run the tests (faster); compare everything but their outcomes.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    backup_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--backup-dir", metavar="DIR", help="Where to keep the backup (default: .splitter/ beside the conftest)."
        ),
    ] = None,
    no_measure: Annotated[
        bool, typer.Option("--no-measure", help="Rate impact from static signals only.")
    ] = False,
    keep: Annotated[
        Optional[list[str]],
        typer.Option(
            "--keep",
            metavar="NAME",
            help="Keep this fixture or helper in the root conftest (repeatable; also [tool.splitter] keep).",
        ),
    ] = None,
    python: PythonOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Split the conftest into modules plus a generated lazy loader, then verify with pytest.

    CONFTEST is the conftest.py to split. Backs up the conftest, writes the split, and
    runs pytest on the rootdir twice, before and after: each run records the fixture
    API and runs the tests to compare their outcomes (--no-outcomes: collect only), and
    its collection and run are measured (peak RSS, wall time). Any difference rolls
    the split back (exit 1). Without a terminal, pass --yes. Arguments after `--` go
    to every pytest run (`-- -n 2` to run the tests with pytest-xdist).
    """

    def body() -> int:
        import json

        from splitter.migrate.migration import (
            MigrateSettings,
            Outcome,
            interrupted_operation,
            nothing_to_do,
            prepare_migration,
            recover_interrupted,
            run_migration,
        )
        from splitter.report.migration import plan_table, render_result, to_json

        def confirm(question: str) -> bool:
            if yes:
                return True
            if not sys.stdin.isatty():
                raise UserError("migrate asks for confirmation; pass --yes to run it non-interactively")
            return typer.confirm(question)

        settings = MigrateSettings(
            path=path,
            verify=not no_verify,
            outcomes=full_run or not no_outcomes,
            pytest_args=tuple(pytest_args or ()),
            backup_dir=backup_dir,
            measure=not no_measure,
            python=interpreter(python),
            keep=tuple(keep or ()),
        )
        interrupted = None if dry_run or check else interrupted_operation(settings)
        if interrupted is not None:
            if not confirm(f"A {interrupted.value} of {shown(path)} was interrupted; undo it and start again?"):
                return ExitCode.FAILED
            recover_interrupted(settings)
            done = "undone" if interrupted.value == "migrate" else "finished"
            err.print(f"recovered: the interrupted {interrupted.value} was {done}; {shown(path)} is the original again")
        with progress_lines("analyzing the conftest", in_logs=False) as progress:
            migration = prepare_migration(settings, progress)
        if migration is None:
            result = nothing_to_do(settings)
            out.print_json(json.dumps(to_json(result))) if json_output else render_result(result, out)
            return ExitCode.OK
        if dry_run or check:
            if dry_run and not json_output:
                show_diff(migration.diff())
                out.print(plan_table(migration))
            if json_output:
                out.print_json(json.dumps({"outcome": "would_change", "diff": migration.diff()}))
            return ExitCode.FAILED if check else ExitCode.OK
        if not json_output:
            out.print(plan_table(migration))
        if not confirm(f"Split {shown(path)} into these files (the original is backed up)?"):
            return ExitCode.FAILED
        with progress_lines("writing the split, then verifying it with pytest") as progress:
            result = run_migration(settings, migration, progress)
        out.print_json(json.dumps(to_json(result))) if json_output else render_result(result, out)
        return ExitCode.FAILED if result.outcome is Outcome.ROLLED_BACK else ExitCode.OK

    run(body)


@app.command(
    cls=Command,
    epilog=examples(
        "splitter sync tests/conftest.py            # after editing a split module",
        "splitter sync tests/conftest.py --check    # in CI: exit 1 if stale",
        "splitter sync tests/conftest.py --dry-run  # the diff, no writes",
    ),
)
def sync(
    path: PathArg,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1, naming what is stale, if the loader needs a sync.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the diff, write nothing.")] = False,
) -> None:
    """Rebuild the generated loader of a split conftest from its split modules.

    CONFTEST is the split root conftest. Only conftest_loader.py and the root's
    generated block change (a split made by splitter 0.1.0: the loader section of
    the root); runs no pytest.
    """

    def body() -> int:
        from splitter.migrate.sync import prepare_sync, write_sync
        from splitter.report.sync import stale_report, sync_summary

        prepared = prepare_sync(path)
        if dry_run and prepared.changed:
            show_diff(prepared.diff())
        if check and prepared.changed:
            out.print(stale_report(prepared), highlight=False, soft_wrap=True)
            return ExitCode.FAILED
        if not (dry_run or check) and prepared.changed:
            write_sync(prepared)
        if not dry_run or not prepared.changed:
            out.print(sync_summary(prepared), highlight=False, soft_wrap=True)
        return ExitCode.OK

    run(body)


@app.command(
    cls=Command,
    epilog=examples(
        "splitter join tests/conftest.py --yes      # one conftest again, verified",
        "splitter join tests/conftest.py --undo     # put the split back",
    ),
)
def join(
    path: PathArg,
    pytest_args: PytestArgs = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the diff, write nothing.")] = False,
    no_verify: Annotated[bool, typer.Option("--no-verify", help="Skip the pytest check.")] = False,
    full_run: Annotated[
        bool, typer.Option("--full-run", hidden=True, help="Accepted; outcomes are compared by default.")
    ] = False,
    no_outcomes: Annotated[
        bool, typer.Option("--no-outcomes", help="Do not run the tests (faster); compare everything but their outcomes.")
    ] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Put back the split the last join replaced.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    backup_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--backup-dir", metavar="DIR", help="Where the backup is (default: .splitter/ beside the conftest)."
        ),
    ] = None,
) -> None:
    """Merge the split modules back into one conftest, keeping your edits; verified, undoable.

    CONFTEST is the split root conftest. Runs pytest twice, before and after, like
    migrate. Without a terminal, pass --yes. Arguments after `--` go to every pytest run.
    """

    def body() -> int:
        from splitter.migrate.join import JoinOutcome, JoinSettings, prepare_join, run_join, undo_join
        from splitter.report.sync import join_summary
        from splitter.report.verification import group_differences

        if undo:
            restored = undo_join(path, backup_dir)
            out.print(f"✓ put back the split of {path}: {', '.join(restored)}", highlight=False)
            return ExitCode.OK
        settings = JoinSettings(
            path, not no_verify, full_run or not no_outcomes, tuple(pytest_args or ()), backup_dir, sys.executable
        )
        prepared = prepare_join(settings)
        if dry_run:
            show_diff(prepared.diff())
            return ExitCode.OK
        if not yes and not sys.stdin.isatty():
            raise UserError("join asks for confirmation; pass --yes to run it non-interactively")
        if not yes and not typer.confirm(f"Merge the split modules of {path} back into it (the split is backed up)?"):
            return ExitCode.FAILED
        with progress_lines("joining the split, then verifying it with pytest") as progress:
            result = run_join(settings, prepared, progress)
        for group in group_differences(result.differences)[:20]:
            out.print(f"  • {escape(str(group))}", highlight=False, soft_wrap=True)
        out.print(join_summary(result), highlight=False, soft_wrap=True)
        return ExitCode.FAILED if result.outcome is JoinOutcome.ROLLED_BACK else ExitCode.OK

    run(body)


@app.command(cls=Command, epilog=examples("splitter restore tests/conftest.py", "splitter restore tests/conftest.py --force"))
def restore(
    path: PathArg,
    force: Annotated[
        bool, typer.Option("--force", help="Restore even if generated files were edited.")
    ] = False,
    backup_dir: Annotated[
        Optional[Path],
        typer.Option("--backup-dir", metavar="DIR", help="Where the backup is (default: .splitter/ beside the conftest)."),
    ] = None,
) -> None:
    """Put the legacy conftest back, byte for byte.

    CONFTEST is the migrated conftest.py; the generated modules are removed.
    """

    def body() -> int:
        from splitter.safety.restore import restore_migration

        restored = restore_migration(path, backup_dir, force)
        if restored.recovered is not None:
            done = "undone" if restored.recovered.value == "migrate" else "finished"
            out.print(f"recovered: an interrupted {restored.recovered.value} was found and {done}", highlight=False)
        removed = ", ".join(restored.removed) or "nothing"
        out.print(f"✓ restored {shown(path)} and removed {removed}", highlight=False, soft_wrap=True)
        return ExitCode.OK

    run(body)


@app.command(
    cls=Command,
    epilog=examples(
        "splitter verify tests/conftest.py             # against the backup",
        "splitter verify tests/conftest.py --save api.json    # record, then",
        "splitter verify tests/conftest.py --against api.json -- -n 2",
    )
)
def verify(
    path: PathArg,
    pytest_args: PytestArgs = None,
    save: Annotated[
        Optional[Path],
        typer.Option(
            "--save", metavar="FILE", help="Record the fixture API of the tree as it is now.", dir_okay=False
        ),
    ] = None,
    against: Annotated[
        Optional[Path],
        typer.Option(
            "--against", metavar="FILE", help="Compare the tree with a snapshot saved by --save.", dir_okay=False
        ),
    ] = None,
    full_run: Annotated[
        bool, typer.Option("--full-run", hidden=True, help="Accepted; outcomes are compared by default.")
    ] = False,
    no_outcomes: Annotated[
        bool, typer.Option("--no-outcomes", help="Do not run the tests (faster); compare everything but their outcomes.")
    ] = False,
    subset: Annotated[
        Optional[list[str]],
        typer.Option(
            "--subset", metavar="PATH", help="Also measure collecting this path, e.g. tests/unit (repeatable)."
        ),
    ] = None,
    python: PythonOpt = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", help="How many differences to print.")] = 20,
    json_output: JsonOpt = False,
) -> None:
    """Check that every test still sees the same fixture API.

    CONFTEST is the root conftest.py of the tree. Runs pytest on the tree (and on the
    baseline, unless --against): the fixture API, the conftest namespace, pytest's
    configuration and every test's outcome (--no-outcomes: collect only). Without
    --save or --against, compares with the legacy conftest kept in the migrate backup.
    Arguments after `--` go to every pytest run.
    """

    def body() -> int:
        import json

        from splitter.verify import VerifySettings
        from splitter.verify import verify as verify_tree
        from splitter.report.verification import render, to_json

        settings = VerifySettings(
            path=path,
            save=save,
            against=against,
            outcomes=full_run or not no_outcomes,
            subsets=tuple(subset or ()),
            pytest_args=tuple(pytest_args or ()),
            python=interpreter(python),
        )
        with progress_lines("running pytest") as progress:
            result = verify_tree(settings, progress)
        if json_output:
            out.print_json(json.dumps(to_json(result)))
        else:
            render(result, out, limit)
        return result.exit_code

    run(body)


@app.command(
    cls=Command,
    epilog=examples(
        "splitter profile tests/conftest.py -- tests/unit",
        "splitter profile tests/conftest.py -o docs/profile.md -- -n 2",
    )
)
def profile(
    path: PathArg,
    pytest_args: PytestArgs = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Where to write the Markdown report (default: in this folder)."
        ),
    ] = Path("FIXTURE_MEMORY_PROFILE.md"),
    python: PythonOpt = None,
) -> None:
    """Measure per-fixture memory and write a fixture memory profile.

    CONFTEST is the project's root conftest.py.
    Runs the suite (or the pytest arguments after `--`, from the project's rootdir)
    with the splitter_memory plugin; when a migration backup exists, the legacy
    conftest is profiled too, in a temporary copy, for a before/after table.
    """

    def body() -> int:
        from splitter.memory.document import render_profile, summary_line
        from splitter.safety.disk import atomic_write
        from splitter.memory.profile import ProfileSettings, profile_project

        settings = ProfileSettings(
            conftest=path,
            output=output,
            pytest_args=tuple(pytest_args or ()),
            python=interpreter(python),
        )
        # Quiet in logs: pytest's refusals (no tests, bad arguments) are found by running it.
        with progress_lines("profiling", in_logs=False) as progress:
            profile_result = profile_project(settings, progress)
            progress("drawing where each fixture goes")
            document = render_profile(profile_result, fixture_graph=split_graph(path))
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(output, document.encode("utf-8"))
        except OSError as exc:
            raise UserError(f"cannot write {output}: {exc.strerror}") from None
        out.print(summary_line(profile_result), highlight=False, soft_wrap=True)
        out.print(f"report: {shown(output)} (Markdown; its Mermaid graph renders on GitHub)", highlight=False)
        return ExitCode.OK

    run(body)


@app.command(
    cls=Command,
    epilog=examples(
        "splitter scan                       # every conftest under this folder",
        "splitter scan services/ --json > scan.json",
    ),
)
def scan(
    path: Annotated[Path, typer.Argument(show_default=False, metavar="[PATH]", hidden=True)] = Path("."),
    json_output: JsonOpt = False,
    no_measure: Annotated[
        bool, typer.Option("--no-measure", help="Count lines and fixtures only: no import is measured.")
    ] = False,
    python: Annotated[
        Optional[str],
        typer.Option("--python", metavar="PYTHON", help="The project's Python, to measure imports (default: this one)."),
    ] = None,
) -> None:
    """Every conftest.py under PATH, ranked by what a split would save.

    PATH is the folder to search (default: the current one); in a git checkout the
    files git lists (.gitignore respected), otherwise a walk that skips pytest's
    norecursedirs. Each conftest is measured like `splitter analyze` (cached).
    Nothing is written into the tree.
    """

    def body() -> int:
        from splitter.migrate.scan import ScanSettings, scan_tree
        from splitter.report import scan as report

        settings = ScanSettings(measure=not no_measure, interpreter=python or sys.executable)
        with progress_lines("scanning") as status:

            def step(done: int, total: int, conftest: Path) -> None:
                status(f"scanning {done + 1}/{total}: {shown(conftest)}")

            def measuring(done: int, total: int, module: str) -> None:
                if err.is_terminal:
                    status(f"measuring imports {done}/{total}: {module}")

            result = scan_tree(path, settings, step, measuring)
        if json_output:
            typer.echo(report.scan_json(result), nl=False)
        else:
            out.print(report.scan_table(result), highlight=False)
        return ExitCode.OK

    run(body)


def split_graph(conftest: Path) -> str:
    """The Mermaid graph of the split (of the legacy conftest, once migrated), from static signals."""
    from splitter.memory.profile import read_manifest
    from splitter.report.analysis import graph_mermaid

    manifest = read_manifest(conftest.resolve())
    legacy = conftest if manifest is None else conftest.parent / manifest.backup
    analysis, plan = analyze_and_plan(legacy, no_measure=True)
    return graph_mermaid(analysis, plan)


def click_exceptions() -> ModuleType:
    """Click's exception classes: vendored inside typer since 0.2x, click's own before."""
    try:
        return importlib.import_module("typer._click.exceptions")
    except ModuleNotFoundError:  # pragma: no cover - an older typer
        return importlib.import_module("click.exceptions")


def main() -> None:
    """Console-script entry point: usage errors are one line (and exit 2), like every other error."""
    errors = click_exceptions()
    try:
        code = typer.main.get_command(app).main(prog_name="splitter", standalone_mode=False)
    except errors.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `splitter` alone: the help, as before
            typer.echo(exc.ctx.get_help())
        else:
            err.print(f"[bold red]error:[/] {escape(usage_message(exc))}", highlight=False, soft_wrap=True)
        code = ExitCode.BAD_INPUT
    except errors.ClickException as exc:
        err.print(f"[bold red]error:[/] {escape(exc.format_message())}", highlight=False, soft_wrap=True)
        code = exc.exit_code
    except typer.Abort:
        err.print("interrupted", highlight=False)
        code = ExitCode.FAILED
    sys.exit(code or 0)


def usage_message(exc: Any) -> str:
    """A usage error as one sentence, with the closest option when the user mistyped one."""
    where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
    if type(exc).__name__ == "NoSuchOption":
        guess = f"; did you mean {exc.possibilities[0]}?" if exc.possibilities else ""
        return f"no such option {exc.option_name}{guess}{where}"
    message = " ".join(str(exc.format_message()).replace("Value error, ", "").split())
    return message[:1].lower() + message[1:].rstrip(".") + where


if __name__ == "__main__":  # pragma: no cover
    main()
