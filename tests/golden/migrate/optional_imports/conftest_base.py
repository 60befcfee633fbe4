"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import contextlib

import pytest

try:
    from yaml import safe_load
except ImportError:  # pragma: no cover - PyYAML is in requirements.txt
    safe_load = None
with contextlib.suppress(ImportError):
    import orjson

# Optional accelerator; absent in the reference environment on purpose.
orjson = None


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
def toml_writer():
    """``importorskip`` variant: the skip happens inside the fixture."""
    tomli_w = pytest.importorskip("tomli_w", reason="tomli_w is an optional extra")
    return tomli_w.dumps
