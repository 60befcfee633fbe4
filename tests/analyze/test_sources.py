"""Where imported fixtures are read from: the project first, then the target interpreter's packages."""

from __future__ import annotations

import sys
from pathlib import Path

from splitter.analyze.sources import interpreter_path, module_sources


def test_the_interpreter_path_lists_where_installed_packages_are() -> None:
    import anyio

    path = interpreter_path(sys.executable)
    assert Path(anyio.__file__).parent.parent in path
    assert all(p.is_absolute() for p in path)


def test_an_interpreter_that_cannot_run_gives_no_directories(tmp_path: Path) -> None:
    assert interpreter_path(str(tmp_path / "no-python")) == ()


def test_installed_modules_are_read_when_they_mention_fixtures(tmp_path: Path) -> None:
    lookup = module_sources((tmp_path,), sys.executable)
    found = lookup("anyio.pytest_plugin")
    assert found is not None and "def free_tcp_port_factory" in found.text
    assert lookup("sqlalchemy") is None  # installed, but no fixture in sight: not parsed
    assert lookup("json") is None  # the standard library binds no fixtures
    assert lookup("_pytest.fixtures") is None  # nor do pytest's own modules


def test_without_an_interpreter_only_the_project_is_read(tmp_path: Path) -> None:
    (tmp_path / "helpers.py").write_text("import pytest\n\n@pytest.fixture\ndef local():\n    pass\n")
    (tmp_path / "plain.py").write_text("VALUE = 1\n")
    lookup = module_sources((tmp_path,))
    assert lookup("anyio.pytest_plugin") is None
    found = lookup("helpers")
    assert found is not None and found.is_package is False
    assert lookup("plain") is None  # never mentions pytest: defines no fixture


def test_the_project_wins_over_an_installed_module_of_the_same_name(tmp_path: Path) -> None:
    (tmp_path / "anyio").mkdir()
    (tmp_path / "anyio" / "__init__.py").write_text("import pytest\n")
    (tmp_path / "anyio" / "pytest_plugin.py").write_text("import pytest\nOWN = 1\n")
    found = module_sources((tmp_path,), sys.executable)("anyio.pytest_plugin")
    assert found is not None and "OWN = 1" in found.text
