"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import os
import sys

import pytest

# --- version-gated import ----------------------------------------------------
if sys.version_info >= (3, 11):
    import tomllib as toml_reader
else:  # pragma: no cover - the corpus runs on 3.11+
    toml_reader = None

# --- environment-dependent constant ---------------------------------------
if os.environ.get("CORPUS_FAST_MODE"):
    # CI "fast lane": fewer retries, shorter timeouts.
    RETRY_LIMIT = 1
    TIMEOUT_SECONDS = 0.5
else:
    RETRY_LIMIT = 3
    TIMEOUT_SECONDS = 5.0


@pytest.fixture
def retry_limit():
    """Value chosen by the environment-dependent ``if`` block."""
    return RETRY_LIMIT


@pytest.fixture
def timeouts(retry_limit):
    """Combines both constants of the ``if`` block."""
    return {"per_try": TIMEOUT_SECONDS, "total": TIMEOUT_SECONDS * retry_limit}


@pytest.fixture
def parse_toml():
    """Parser from the version-gated import."""
    if toml_reader is None:  # pragma: no cover
        pytest.skip("tomllib requires Python 3.11")
    return toml_reader.loads
