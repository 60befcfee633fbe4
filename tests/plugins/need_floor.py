"""A pytest plugin that runs a suite at its *need floor*, and reports what a run loaded.

The need floor of a set of tests is what running them costs when the conftest
imports only the modules those tests really need: the modules of the fixtures they
set up (their whole closures), of the names their modules import from the
conftest, and of the hooks and import-time statements. ``tests/tiers.py`` works
that list out from splitter's analysis and passes it in ``NEED_FLOOR_ALLOW``
(JSON); every other module the conftest itself imports (``NEED_FLOOR_CONFTEST``)
becomes an empty stand-in for the conftest alone (``__import__`` is wrapped while
the conftest runs; nothing enters ``sys.modules``), so every other module, test
modules included, still imports the real thing. If the
list missed a need, the tests fail: the floor proves itself.

``NEED_FLOOR_FIXTURES``: write the fixtures the collected tests use (JSON).
``NEED_FLOOR_DUMP``: write the modules loaded at the end of the session (JSON).
Loaded with ``-p need_floor`` (this directory on ``PYTHONPATH``); inert otherwise.
"""

from __future__ import annotations

import builtins
import json
import os
import sys
import types
from pathlib import Path


class _Anything:
    """Whatever the conftest does with a module the tests do not need."""

    def __getattr__(self, name: str) -> _Anything:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Anything()

    def __call__(self, *args: object, **kwargs: object) -> _Anything:
        return _Anything()

    def __getitem__(self, key: object) -> _Anything:
        return _Anything()

    def __mro_entries__(self, bases: tuple[object, ...]) -> tuple[type, ...]:
        return ()

    def __or__(self, other: object) -> _Anything:
        return _Anything()

    __ror__ = __or__

    def __enter__(self) -> _Anything:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Anything()


class _Floor:
    """Wraps ``__import__`` while the conftest runs: its imports of modules the selected
    tests do not need get a stand-in, which never enters ``sys.modules``."""

    def __init__(self, conftest: str, allowed: frozenset[str]) -> None:
        self.conftest = conftest
        self.allowed = allowed
        self.stood_in: set[str] = set()
        self.original = builtins.__import__
        builtins.__import__ = self.import_

    def import_(self, name, globals=None, locals=None, fromlist=(), level=0):  # type: ignore[no-untyped-def]
        if level == 0 and self.from_conftest(globals) and not self.needed(name):
            self.stood_in.add(name)
            top = name.split(".")[0]
            if not fromlist and self.needed(top):  # ``import a.b``: ``a`` is needed, ``a.b`` is not
                return self.original(top, globals, locals, fromlist, level)
            return _StandIn(name if fromlist else top)
        return self.original(name, globals, locals, fromlist, level)

    def needed(self, name: str) -> bool:
        if name in sys.modules or name.split(".")[0] in sys.stdlib_module_names:
            return True  # loaded already (pytest's own), or the standard library: free here
        return any(a == name or a.startswith(name + ".") for a in self.allowed)

    def from_conftest(self, namespace: object) -> bool:
        where = namespace.get("__file__") if isinstance(namespace, dict) else None
        return bool(where) and os.path.realpath(str(where)) == self.conftest

    def finish(self) -> None:
        """The conftest has run: imports are real again."""
        builtins.__import__ = self.original


_FLOOR: _Floor | None = None
if os.environ.get("NEED_FLOOR_CONFTEST"):
    _FLOOR = _Floor(
        os.path.realpath(os.environ["NEED_FLOOR_CONFTEST"]),
        frozenset(json.loads(os.environ.get("NEED_FLOOR_ALLOW", "[]"))),
    )


def pytest_plugin_registered(plugin: object) -> None:
    where = getattr(plugin, "__file__", None)
    if _FLOOR is not None and where and os.path.realpath(where) == _FLOOR.conftest:
        _FLOOR.finish()


def pytest_collection_finish(session) -> None:  # type: ignore[no-untyped-def]
    out = os.environ.get("NEED_FLOOR_FIXTURES")
    if out:
        names = sorted({name for item in session.items for name in getattr(item, "fixturenames", ())})
        Path(out).write_text(json.dumps(names), encoding="utf-8")


def pytest_sessionfinish(session) -> None:  # type: ignore[no-untyped-def]
    out = os.environ.get("NEED_FLOOR_DUMP")
    if out:
        loaded = sorted(sys.modules)
        Path(out).write_text(json.dumps(loaded), encoding="utf-8")
