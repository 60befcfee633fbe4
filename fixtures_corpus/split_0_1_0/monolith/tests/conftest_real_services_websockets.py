"""Fixtures that connect to real services (the part that imports websockets).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import os
from typing import TYPE_CHECKING
import pytest
import websockets.exceptions
from websockets.sync.client import connect as ws_connect

if TYPE_CHECKING:
    from collections.abc import Iterator

    from _pytest.fixtures import SubRequest
    from websockets.sync.client import ClientConnection


@pytest.fixture
def real_websocket_client(request: SubRequest) -> Iterator[ClientConnection]:
    """Connect to REAL_WEBSOCKET_URL, or to the e2e loopback server if unset."""
    url = os.environ.get("REAL_WEBSOCKET_URL")
    if not url:
        url = request.getfixturevalue("high_volume_server").url
    try:
        connection = ws_connect(url, open_timeout=1.0, close_timeout=1, proxy=None, compression=None)
    except (OSError, TimeoutError, websockets.exceptions.InvalidHandshake) as exc:
        pytest.skip(f"websocket endpoint {url} not reachable: {exc}")
    with connection:  # websockets>=17.1 wants connections used as context managers
        yield connection
