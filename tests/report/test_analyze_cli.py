"""``splitter analyze`` and ``splitter graph`` run as a user runs them, and their bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from splitter.cli import app

SAMPLE = '''"""Sample."""
import pytest
from unittest.mock import MagicMock


@pytest.fixture(scope="session")
def settings():
    return {"debug": True}


@pytest.fixture
def client(settings, tmp_path):
    return MagicMock()


@pytest.fixture
def loop_a(loop_b):
    return 1


@pytest.fixture
def loop_b(loop_a):
    return 2
'''


@pytest.fixture
def conftest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPLITTER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "conftest.py"
    path.write_text(SAMPLE)
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_analyze_prints_a_table_and_a_summary(conftest: Path) -> None:
    code, out, _ = invoke("analyze", str(conftest), "--no-measure")
    assert (
        code == 0
        and "client" in out
        and "loop_a → loop_b → loop_a" in out
        and "tmp_path ← client" in out
    )


def test_analyze_json_is_stable_and_versioned(conftest: Path) -> None:
    code, out, _ = invoke("analyze", str(conftest), "--json", "--no-measure")
    document = json.loads(out)
    assert (
        code,
        document["schema_version"],
        [f["name"] for f in document["fixtures"]],
    ) == (0, 1, ["settings", "client", "loop_a", "loop_b"])
    assert (
        out == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    )


def test_analyze_json_reports_impact_and_planned_module(conftest: Path) -> None:
    client = next(
        f
        for f in json.loads(
            invoke("analyze", str(conftest), "--json", "--no-measure")[1]
        )["fixtures"]
        if f["name"] == "client"
    )
    assert (client["impact"]["static_level"], client["impact"]["measured_mb"]) == ("LOW", None)
    assert client["planned_module"] == {
        "module": "conftest_mocks.py",
        "loads": "eager",
        "reason": "built from mocks",
    }


@pytest.mark.parametrize("name", ["async_fixtures", "no_init"])
def test_analyze_of_a_split_conftest_lists_the_fixtures_it_registers(
    name: str, corpus_copy, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """After the split the root registers every fixture through conftest_loader.py: analyze lists them all."""
    monkeypatch.setenv("SPLITTER_CACHE_DIR", str(tmp_path / "cache"))
    path = corpus_copy(name)
    before = json.loads(invoke("analyze", str(path), "--json", "--no-measure")[1])
    assert cli("migrate", str(path), "--yes", "--no-verify", "--no-measure").returncode == 0

    code, out, _ = invoke("analyze", str(path), "--json", "--no-measure")

    names = sorted(f["name"] for f in before["fixtures"])
    assert code == 0 and sorted(f["name"] for f in json.loads(out)["fixtures"]) == names
    assert all(f["planned_module"] is None for f in json.loads(out)["fixtures"]), "a split is not planned again"


def test_analyze_measures_by_default(conftest: Path) -> None:
    document = json.loads(invoke("analyze", str(conftest), "--json")[1])
    assert document["measured"] and "unittest.mock" in [
        m["module"] for m in document["modules"]
    ]


def test_graph_text(conftest: Path) -> None:
    code, out, _ = invoke("graph", str(conftest), "--no-measure")
    assert (
        code == 0
        and "client  [function, LOW]\n  -> settings\n  -> tmp_path (external)" in out
    )


def test_graph_dot_highlights_cycles(conftest: Path) -> None:
    out = invoke("graph", str(conftest), "--format", "dot", "--no-measure")[1]
    assert (
        out.startswith("digraph fixtures {")
        and '"loop_a" -> "loop_b" [color="#d32f2f"' in out
    )


def test_graph_mermaid_is_a_valid_flowchart(conftest: Path) -> None:
    out = invoke("graph", str(conftest), "--format", "mermaid", "--no-measure")[1]
    lines = out.splitlines()
    assert lines[0] == "flowchart LR" and all(
        re.fullmatch(
            r"    (subgraph m\d+\[\".+\"\]|end|    \w+\[.*\]:::\w+|\w+\(\[.*\]\):::\w+|\w+ --> \w+|classDef \w+ .+|linkStyle [\d,]+ .+)",
            line,
        )
        for line in lines[1:]
    )
    assert "linkStyle 2,3 stroke:#d32f2f" in out


def test_graph_groups_fixtures_by_the_module_they_go_to(conftest: Path) -> None:
    dot = invoke("graph", str(conftest), "--format", "dot", "--no-measure")[1]
    mermaid = invoke("graph", str(conftest), "--format", "mermaid", "--no-measure")[1]
    mocks = dot.split('label="conftest_mocks.py (eager)"')[1].split("}")[0]
    assert '"client" [label=' in mocks and '"settings"' not in mocks
    assert re.search(r'subgraph m\d+\["conftest_mocks.py \(eager\)"\]\n        f1\["client', mermaid)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("missing.py", None, "no such file", id="missing"),
        pytest.param("adir", "<dir>", "is a directory", id="directory"),
        pytest.param("notes.txt", "hello", "is not a Python file", id="not-python"),
        pytest.param("binary.py", b"\x00\x01\x02", "is a binary file", id="binary"),
        pytest.param(
            "latin.py",
            b"# -*- coding: ascii -*-\nX = '\xe9'\n",
            "cannot be decoded as ascii",
            id="undecodable",
        ),
        pytest.param(
            "broken.py",
            "def (:\n",
            "broken.py:1:5: syntax error: invalid syntax",
            id="syntax-error",
        ),
        pytest.param("empty.py", "X = 1\n", "defines no fixtures", id="no-fixtures"),
    ],
)
@pytest.mark.parametrize("command", ["analyze", "graph"])
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, command: str, name: str, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content == "<dir>":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, out, err = invoke(command, str(path), "--no-measure")
    assert (
        (code, out, len(err.strip().splitlines())) == (2, "", 1)
        and message in err
        and "Traceback" not in err
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            b"\xef\xbb\xbfimport pytest\n@pytest.fixture\ndef a(): pass\n",
            "a",
            id="bom",
        ),
        pytest.param(
            "# -*- coding: latin-1 -*-\nimport pytest\n@pytest.fixture\ndef caf\xe9(): pass\n".encode(
                "latin-1"
            ),
            "caf\xe9",
            id="latin-1-declaration",
        ),
    ],
)
def test_encodings_are_honoured(tmp_path: Path, raw: bytes, expected: str) -> None:
    (tmp_path / "conftest.py").write_bytes(raw)
    assert [
        f["name"]
        for f in json.loads(
            invoke("analyze", str(tmp_path / "conftest.py"), "--json", "--no-measure")[
                1
            ]
        )["fixtures"]
    ] == [expected]
