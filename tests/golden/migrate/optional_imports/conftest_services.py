"""Service fixtures: database sessions, managers, the app and its client.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import contextlib
import json

import pytest

with contextlib.suppress(ImportError):
    import orjson

from .conftest_base import orjson


@pytest.fixture
def json_dumps(optional_features):
    """Always available: orjson when present, stdlib json otherwise (as bytes)."""
    if optional_features["orjson"]:
        return orjson.dumps
    return lambda obj: json.dumps(obj, separators=(",", ":")).encode()
