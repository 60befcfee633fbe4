"""End-to-end fixtures: servers, load clients, environment checks (the part that imports pandas).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def warehouse():
    """The analytics warehouse: page views as a pandas frame."""
    return pd.DataFrame(
        {"page": ["/", "/docs", "/", "/"], "ms": [12.0, 30.0, 9.0, 11.0]}
    )
