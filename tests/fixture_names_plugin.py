"""A tiny pytest plugin: which fixture names does pytest register from one conftest?

Loaded with ``-p fixture_names_plugin`` (this directory on PYTHONPATH). At the
end of the session it writes the sorted names of every FixtureDef whose function
is one of the fixtures the conftest module (``$SPLITTER_CONFTEST``) holds as an
attribute, to ``$SPLITTER_FIXTURE_DUMP`` as JSON.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def conftest_functions(session: pytest.Session, conftest: Path) -> set[int]:
    """ids of the wrapped functions of the fixtures the conftest module holds."""
    functions: set[int] = set()
    for plugin in session.config.pluginmanager.get_plugins():
        location = getattr(plugin, "__file__", None)
        if location is None or Path(location).resolve() != conftest:
            continue
        for name in dir(plugin):
            wrapped = getattr(getattr(plugin, name), "_get_wrapped_function", None)
            if callable(wrapped):
                functions.add(id(wrapped()))
    return functions


def all_fixturedefs(manager: Any) -> Iterator[Any]:
    """Every FixtureDef the manager holds (pytest <= 9.1 and 9.2 store them differently)."""
    for fixturedefs in getattr(manager, "_arg2fixturedefs", {}).values():
        yield from fixturedefs
    for attribute in ("_arg2node2fixturedefs", "_arg2nodeid2fixturedefs"):
        for by_holder in getattr(manager, attribute, {}).values():
            for fixturedefs in by_holder.values():
                yield from fixturedefs


def pytest_sessionfinish(session: pytest.Session) -> None:
    conftest = Path(os.environ["SPLITTER_CONFTEST"]).resolve()
    functions = conftest_functions(session, conftest)
    names = {
        d.argname
        for d in all_fixturedefs(session._fixturemanager)
        if id(d.func) in functions
    }
    Path(os.environ["SPLITTER_FIXTURE_DUMP"]).write_text(json.dumps(sorted(names)))
