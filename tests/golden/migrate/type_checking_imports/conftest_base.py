"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from pytest import FixtureRequest

# Shared log of workspace teardowns: list of removed file names per workspace.
CLEANED: list[list[str]] = []


def _ensure_dir(path: Path) -> Path:
    """Helper annotated with a TYPE_CHECKING-only name."""
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    """A ``work`` directory inside ``tmp_path``; emptied on teardown."""
    root = _ensure_dir(tmp_path / "work")
    yield root
    removed = sorted(p.name for p in root.iterdir())
    for child in root.iterdir():
        child.unlink()
    CLEANED.append(removed)


@pytest.fixture
def write_file(workspace: Path) -> Callable[[str, str], Path]:
    """Return ``write(name, text) -> Path`` writing into the workspace."""

    def _write(name: str, text: str) -> Path:
        target = workspace / name
        target.write_text(text, encoding="utf-8")
        return target

    return _write


@pytest.fixture
def json_file(write_file: Callable[[str, str], Path]) -> Path:
    """A JSON document written through ``write_file``."""
    return write_file("data.json", json.dumps({"answer": 42}))


@pytest.fixture
def node_name(request: FixtureRequest) -> str:
    """Annotated ``request`` parameter; returns the requesting test's name."""
    return request.node.name


@pytest.fixture
def cleaned_log() -> list[list[str]]:
    """Teardown log of ``workspace``."""
    return CLEANED
