"""Helpers for the memory plugin tests: a pytester project and its JSON results."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.memory.support import QUIET


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester project configured like a real one (asyncio's loop scope set)."""
    pytester.makeini("""
        [pytest]
        asyncio_default_fixture_loop_scope = function
        """)
    return pytester


@pytest.fixture
def measure(project: pytest.Pytester):
    """Run pytest with --fixture-memory in a subprocess; return (result, JSON data)."""

    def run(*args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
        target = project.path / "memory.json"
        result = project.runpytest_subprocess(
            *QUIET, "--fixture-memory", "--fixture-memory-json", str(target), *args
        )
        return result, json.loads(target.read_text())

    return run
