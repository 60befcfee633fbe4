"""The ``splitter`` command line: thin typer commands over the library.

Each command builds its settings, calls one library function, renders the
result and returns an exit code from :class:`splitter.errors.ExitCode`.
User-fixable problems print one line and exit 2; anything unexpected prints
"internal error — please report" instead of a traceback.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from splitter import __version__
from splitter.errors import ExitCode, UserError

app = typer.Typer(
    name="splitter",
    help="Split a monolithic pytest conftest.py into lazily loaded modules, "
    "proving the fixture API is unchanged.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

PathArg = Annotated[Path, typer.Argument(help="The conftest.py to work on.", show_default=False)]
PytestArgs = Annotated[
    Optional[list[str]],
    typer.Argument(help="Extra pytest arguments, after `--`.", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


class GraphFormat(str, enum.Enum):
    """Output formats of ``splitter graph``."""

    text = "text"
    dot = "dot"
    mermaid = "mermaid"


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
        err.print(
            f"[bold red]internal error — please report:[/] {type(exc).__name__}: {escape(str(exc))}",
            highlight=False,
            soft_wrap=True,
        )
        code = ExitCode.FAILED
    raise typer.Exit(int(code))


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


@app.command()
def analyze(
    path: PathArg,
    json_output: JsonOpt = False,
    no_measure: Annotated[
        bool, typer.Option("--no-measure", help="Rate impact from static signals only.")
    ] = False,
) -> None:
    """Fixtures, kinds, dependencies, impact and the planned module of each."""

    def body() -> int:
        from splitter.report import analysis as report
        from splitter.analyze.analysis import AnalyzeSettings, analyze_file, require_fixtures

        from splitter.analyze.saving import estimate_saving
        from splitter.migrate.migration import is_migrated, loaded_at_collection, plan_conftest

        settings = AnalyzeSettings(measure=not no_measure, subset=True)
        with report.measurement_progress(err) as progress:
            analysis = analyze_file(path, settings, progress)
        require_fixtures(analysis.model)
        plan = None if is_migrated(analysis.model.source) else plan_conftest(path, analysis)
        estimate = None if plan is None else estimate_saving(analysis, loaded_at_collection(plan))
        if json_output:
            typer.echo(report.analysis_json(analysis, plan, estimate), nl=False)
        else:
            out.print(report.analysis_table(analysis, plan, estimate))
            out.print(report.analysis_summary(analysis), highlight=False)
        return ExitCode.OK

    run(body)


@app.command()
def graph(
    path: PathArg,
    output_format: Annotated[
        GraphFormat, typer.Option("--format", help="text, dot (Graphviz) or mermaid.")
    ] = GraphFormat.text,
    no_measure: Annotated[
        bool, typer.Option("--no-measure", help="Rate impact from static signals only.")
    ] = False,
) -> None:
    """The fixture dependency graph, with cycles and heavy chains."""

    def body() -> int:
        from splitter.report import analysis as report
        from splitter.analyze.analysis import AnalyzeSettings, analyze_file, require_fixtures

        with report.measurement_progress(err) as progress:
            analysis = analyze_file(path, AnalyzeSettings(measure=not no_measure), progress)
        require_fixtures(analysis.model)
        render = {
            GraphFormat.text: report.graph_text,
            GraphFormat.dot: report.graph_dot,
            GraphFormat.mermaid: report.graph_mermaid,
        }[output_format]
        typer.echo(render(analysis), nl=False)
        return ExitCode.OK

    run(body)


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


@app.command()
def migrate(
    path: PathArg,
    pytest_args: PytestArgs = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the diff, write nothing.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if a migration would change anything.")
    ] = False,
    no_verify: Annotated[bool, typer.Option("--no-verify", help="Skip the pytest check.")] = False,
    full_run: Annotated[
        bool, typer.Option("--full-run", help="Also compare every test's outcome.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    backup_dir: Annotated[
        Optional[Path],
        typer.Option("--backup-dir", help="Where to keep the backup (default: .splitter/ beside the conftest)."),
    ] = None,
    no_measure: Annotated[
        bool, typer.Option("--no-measure", help="Rate impact from static signals only.")
    ] = False,
    python: Annotated[
        Optional[str],
        typer.Option("--python", help="The project's Python, to run pytest and measure imports (default: this one)."),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Split the conftest into modules plus a lazy loader, then verify."""

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
            full_run=full_run,
            pytest_args=tuple(pytest_args or ()),
            backup_dir=backup_dir,
            measure=not no_measure,
            python=python or sys.executable,
        )
        interrupted = None if dry_run or check else interrupted_operation(settings)
        if interrupted is not None:
            if not confirm(f"A {interrupted.value} of {path} was interrupted; undo it and start again?"):
                return ExitCode.FAILED
            recover_interrupted(settings)
            done = "undone" if interrupted.value == "migrate" else "finished"
            err.print(f"recovered: the interrupted {interrupted.value} was {done}; {path} is the original again")
        with err.status("analyzing…") as status:
            migration = prepare_migration(settings, lambda step: status.update(f"{step}…"))
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
        if not confirm(f"Split {path} into these files (the original is backed up)?"):
            return ExitCode.FAILED
        with err.status("migrating…") as status:
            result = run_migration(settings, migration, lambda step: status.update(f"{step}…"))
        out.print_json(json.dumps(to_json(result))) if json_output else render_result(result, out)
        return ExitCode.FAILED if result.outcome is Outcome.ROLLED_BACK else ExitCode.OK

    run(body)


@app.command()
def restore(
    path: PathArg,
    force: Annotated[
        bool, typer.Option("--force", help="Restore even if generated files were edited.")
    ] = False,
    backup_dir: Annotated[
        Optional[Path],
        typer.Option("--backup-dir", help="Where the backup is (default: .splitter/ beside the conftest)."),
    ] = None,
) -> None:
    """Put the legacy conftest back, byte for byte."""

    def body() -> int:
        from splitter.safety.restore import restore_migration

        restored = restore_migration(path, backup_dir, force)
        if restored.recovered is not None:
            done = "undone" if restored.recovered.value == "migrate" else "finished"
            out.print(f"recovered: an interrupted {restored.recovered.value} was found and {done}", highlight=False)
        removed = ", ".join(restored.removed) or "nothing"
        out.print(f"✓ restored {path} and removed {removed}", highlight=False)
        return ExitCode.OK

    run(body)


@app.command()
def verify(
    path: PathArg,
    pytest_args: PytestArgs = None,
    save: Annotated[
        Optional[Path],
        typer.Option("--save", help="Record the fixture API of the tree as it is now.", dir_okay=False),
    ] = None,
    against: Annotated[
        Optional[Path],
        typer.Option("--against", help="Compare the tree with a snapshot saved by --save.", dir_okay=False),
    ] = None,
    full_run: Annotated[
        bool, typer.Option("--full-run", help="Also run the suite and compare every test's outcome.")
    ] = False,
    subset: Annotated[
        Optional[list[str]],
        typer.Option("--subset", help="Also measure collecting this path, e.g. tests/unit (repeatable)."),
    ] = None,
    python: Annotated[
        Optional[str],
        typer.Option("--python", help="The project's Python interpreter (default: this one)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many differences to print.")] = 20,
    json_output: JsonOpt = False,
) -> None:
    """Check that every test still sees the same fixture API.

    Without --save or --against, compares with the legacy conftest kept in the migrate backup.
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
            full_run=full_run,
            subsets=tuple(subset or ()),
            pytest_args=tuple(pytest_args or ()),
            python=python or sys.executable,
        )
        with err.status("running pytest…") as status:
            result = verify_tree(settings, lambda step: status.update(f"{step}…"))
        if json_output:
            out.print_json(json.dumps(to_json(result)))
        else:
            render(result, out, limit)
        return result.exit_code

    run(body)


@app.command()
def profile(
    path: PathArg,
    pytest_args: PytestArgs = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the Markdown report.")
    ] = Path("FIXTURE_MEMORY_PROFILE.md"),
    python: Annotated[
        Optional[str],
        typer.Option("--python", help="The project's Python interpreter (default: this one)."),
    ] = None,
) -> None:
    """Measure per-fixture memory and write a fixture memory profile.

    Runs the suite (or the pytest arguments after `--`, from the project's rootdir)
    with the splitter_memory plugin; when a migration backup exists, the legacy
    conftest is profiled too, in a temporary copy, for a before/after table.
    """

    def body() -> int:
        from splitter.memory.document import render_profile, summary_line
        from splitter.memory.profile import ProfileSettings, profile_project

        settings = ProfileSettings(
            conftest=path,
            output=output,
            pytest_args=tuple(pytest_args or ()),
            python=python or sys.executable,
        )
        with err.status("profiling…") as status:
            profile_result = profile_project(settings, lambda step: status.update(f"{step}…"))
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(render_profile(profile_result), encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {output}: {exc.strerror}") from None
        out.print(summary_line(profile_result), highlight=False, soft_wrap=True)
        return ExitCode.OK

    run(body)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="splitter")


if __name__ == "__main__":  # pragma: no cover
    main()
