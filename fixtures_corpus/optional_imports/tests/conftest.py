"""Fixtures built on optional third-party modules.

Each optional import degrades to ``None``; the fixtures then call
``pytest.skip`` so a missing extra never turns into an error.
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

# Optional accelerator; absent in the reference environment on purpose.
orjson = None
with contextlib.suppress(ImportError):
    import orjson

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
def yaml_loader():
    """``yaml.safe_load``; skips without PyYAML."""
    if safe_load is None:
        pytest.skip("PyYAML is not installed")
    return safe_load


@pytest.fixture
def fast_json_dumps():
    """orjson's ``dumps`` (bytes); skips when orjson is missing."""
    if orjson is None:
        pytest.skip("orjson is not installed")
    return orjson.dumps


@pytest.fixture
def json_dumps(optional_features):
    """Always available: orjson when present, stdlib json otherwise (as bytes)."""
    if optional_features["orjson"]:
        return orjson.dumps
    return lambda obj: json.dumps(obj, separators=(",", ":")).encode()


@pytest.fixture
def toml_writer():
    """``importorskip`` variant: the skip happens inside the fixture."""
    tomli_w = pytest.importorskip("tomli_w", reason="tomli_w is an optional extra")
    return tomli_w.dumps
