"""Service fixtures: database sessions, managers, the app and its client (the part that imports numpy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is in requirements.txt
    np = None


@pytest.fixture
def array_factory():
    """Build numpy arrays; skips without numpy."""
    if np is None:
        pytest.skip("numpy is not installed")

    def _make(values, dtype="float64"):
        return np.asarray(values, dtype=dtype)

    return _make
