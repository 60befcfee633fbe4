"""End-to-end fixtures: servers, load clients, environment checks (the part that imports fastapi).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import warnings
from typing import TYPE_CHECKING
import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    # starlette>=1.0 warns on import when it falls back to httpx instead of
    # httpx2.  We stay on httpx until PLAT-2231 (client migration) lands.
    warnings.filterwarnings("ignore", message=r".*install `httpx2` instead.*")
    from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://supervisor.test") as test_client:
        yield test_client
