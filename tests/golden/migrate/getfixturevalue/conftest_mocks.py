"""Mock-based fixtures: fake clients and managers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

from .conftest_base import ACTIVATED, ENV_VAR


@pytest.fixture
def fake_service_url(monkeypatch):
    """Side-effect-only fixture, applied with ``usefixtures``."""
    monkeypatch.setenv(ENV_VAR, "http://service.invalid")
    ACTIVATED.append("fake_service_url")
