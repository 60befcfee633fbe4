"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import sqlite3

import pytest

BACKEND_NAMES = ["memory", "sqlite"]
ENV_VAR = "CORPUS_SERVICE_URL"

# Names of fixtures that ran, for usefixtures assertions.
ACTIVATED = []


class MemoryBackend:
    kind = "memory"

    def __init__(self):
        self._data = {}

    def put(self, key, value):
        self._data[key] = value

    def get(self, key):
        return self._data.get(key)


class SqliteBackend:
    kind = "sqlite"

    def __init__(self, path):
        self.conn = sqlite3.connect(path)
        self.conn.execute("create table kv (k text primary key, v text)")

    def put(self, key, value):
        self.conn.execute("insert or replace into kv values (?, ?)", (key, value))

    def get(self, key):
        row = self.conn.execute("select v from kv where k = ?", (key,)).fetchone()
        return row[0] if row else None


@pytest.fixture
def backend_memory():
    return MemoryBackend()


@pytest.fixture
def backend_sqlite(tmp_path):
    backend = SqliteBackend(tmp_path / "kv.sqlite")
    yield backend
    backend.conn.close()


@pytest.fixture(params=BACKEND_NAMES)
def backend(request):
    """Dispatch to ``backend_<param>`` by computed name."""
    return request.getfixturevalue(f"backend_{request.param}")


@pytest.fixture
def feature_flags():
    return {"new_ui": True, "beta_api": False}


@pytest.fixture
def app_config(request):
    """Pulls ``feature_flags`` with a literal-name ``getfixturevalue``."""
    flags = request.getfixturevalue("feature_flags")
    return {"debug": True, "flags": flags}


@pytest.fixture
def clean_environment(monkeypatch):
    """Side-effect-only fixture, applied with ``usefixtures``."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    ACTIVATED.append("clean_environment")


@pytest.fixture
def audit_trail():
    """Applied module-wide through ``pytestmark``."""
    ACTIVATED.append("audit_trail")
    yield ACTIVATED


@pytest.fixture
def activated():
    return ACTIVATED
