"""``splitter profile`` end to end: the real CLI on copies of the corpora."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPUS

SECTIONS = (
    "# Fixture memory profile — monolith",
    "## Executive summary",
    "## The measured run",
    "## Collection",
    "### Where collection memory goes",
    "### Heaviest packages imported while collecting",
    "## The conftest module",
    "### `tests/conftest.py`",
    "## Session-scoped fixtures",
    "## Heavy dependency chains",
    "## How these figures were measured",
    "## Reproduce",
)
MB = re.compile(r"\d+\.\d MB")


def copy_corpus(name: str, tmp_path: Path) -> Path:
    """A private copy of a corpus project (the corpora are read-only)."""
    target = tmp_path / name
    shutil.copytree(
        CORPUS / name,
        target,
        ignore=shutil.ignore_patterns(".pytest_cache", "__pycache__", ".splitter"),
    )
    return target


def section(document: str, title: str) -> str:
    """The text of one ``## `` section."""
    start = document.index(title)
    end = document.find("\n## ", start + len(title))
    return document[start : end if end != -1 else None]


@pytest.fixture(scope="module")
def monolith_profile(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(stdout, document) of profiling the monolith's unit tests."""
    from tests.conftest import run_cli

    project = copy_corpus("monolith", tmp_path_factory.mktemp("profile"))
    output = project / "FIXTURE_MEMORY_PROFILE.md"
    result = run_cli(
        "profile",
        str(project / "tests" / "conftest.py"),
        "-o",
        str(output),
        "--",
        "tests/unit",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, output.read_text()


def test_profile_of_the_monolith_has_every_section_in_order(monolith_profile):
    _, document = monolith_profile
    positions = [document.index(title) for title in SECTIONS]
    assert positions == sorted(positions)


def test_profile_embeds_the_split_as_a_mermaid_graph_and_says_where_it_is(monolith_profile):
    stdout, document = monolith_profile
    graph = section(document, "## Where each fixture goes")
    assert "```mermaid\nflowchart LR\n" in graph and '["conftest_services.py (lazy: loaded at first use)"]' in graph
    assert "report: " in stdout and "FIXTURE_MEMORY_PROFILE.md" in stdout


def test_profile_numbers_are_measured_and_present(monolith_profile):
    stdout, document = monolith_profile
    assert "✓ wrote" in stdout and "tests" in stdout
    summary = section(document, "## Executive summary")
    assert len(MB.findall(summary)) >= 5
    assert "Importing `tests/conftest.py` costs" in summary and "`pandas`" in summary
    collection = section(document, "## Collection")
    assert re.search(
        r"\| main \| \d+\.\d MB \| \d+\.\d MB \| \d+\.\d MB \| \d+\.\d MB \| \d+\.\d\d s \| \d+ \|",
        collection,
    )
    assert re.search(
        r"\| `tests/conftest.py` \| conftest \| [1-9]\d*\.\d MB", collection
    ), "the conftest's imports"
    module = section(document, "## The conftest module")
    assert re.search(
        r"\| `tests/conftest.py` \| 1[0-9]{3} \| [1-9]\d* \| [1-9]\d*\.\d MB \|", module
    )
    assert (
        "`_reset_supervisor_env` | function | MINIMAL | Restore os.environ after every test"
        in module
    )
    assert "CPU cores" in document and "CPython 3." in document
    assert (
        "--fixture-memory --fixture-memory-json fixture-memory.json tests/unit"
        in document
    )


def test_profile_compares_with_the_legacy_conftest_after_a_migration(tmp_path, cli):
    project = copy_corpus("async_fixtures", tmp_path)
    conftest = project / "tests" / "conftest.py"
    migrated = cli("migrate", str(conftest), "--yes", "--no-verify", "--no-measure")
    assert migrated.returncode == 0, migrated.stderr
    output = tmp_path / "profile.md"
    result = cli("profile", str(conftest), "-o", str(output))
    assert result.returncode == 0, result.stderr
    document = output.read_text()
    assert (
        "## Modules of the split" in document and "`tests/conftest_base.py`" in document
    )
    comparison = section(document, "## Before and after the split")
    row = re.search(
        r"\| RSS after collection \| (\d+\.\d) MB \| (\d+\.\d) MB \| [−+±]\d+ % \|",
        comparison,
    )
    assert row, comparison
    assert "| tests passed / failed / skipped |" in comparison
    assert "collection memory vs legacy" in result.stdout
    assert (
        project / "tests" / ".splitter" / "manifest.json"
    ).is_file(), "the real tree is left as it was"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(("missing/conftest.py",), "no such file", id="missing"),
        pytest.param((".",), "is a directory", id="directory"),
        pytest.param(
            ("tests/conftest.py", "--", "-k", "no_test_has_this_name"),
            "collected no tests",
            id="empty",
        ),
        pytest.param(
            ("tests/conftest.py", "--", "--no-such-option"),
            "rejected its arguments",
            id="bad-args",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, cli, arguments, message):
    project = copy_corpus("yield_finalizers", tmp_path)
    path, *rest = arguments
    result = cli("profile", path, "-o", str(tmp_path / "out.md"), *rest, cwd=project)
    assert result.returncode == 2
    assert (
        message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    ), result.stderr
    assert not (tmp_path / "out.md").exists()
