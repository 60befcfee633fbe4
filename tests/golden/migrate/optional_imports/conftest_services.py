"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import contextlib
import json

import pytest

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is in requirements.txt
    np = None

try:
    from yaml import safe_load
except ImportError:  # pragma: no cover - PyYAML is in requirements.txt
    safe_load = None
with contextlib.suppress(ImportError):
    import orjson

from .conftest_base import orjson

HAS_NUMPY = np is not None


@pytest.fixture
def optional_features():
    """Which optional modules were importable when the conftest loaded."""
    return {
        "numpy": HAS_NUMPY,
        "yaml": safe_load is not None,
        "orjson": orjson is not None,
    }


@pytest.fixture
def array_factory():
    """Build numpy arrays; skips without numpy."""
    if np is None:
        pytest.skip("numpy is not installed")

    def _make(values, dtype="float64"):
        return np.asarray(values, dtype=dtype)

    return _make


@pytest.fixture
def json_dumps(optional_features):
    """Always available: orjson when present, stdlib json otherwise (as bytes)."""
    if optional_features["orjson"]:
        return orjson.dumps
    return lambda obj: json.dumps(obj, separators=(",", ":")).encode()
