"""Service fixtures: database sessions, managers, the app and its client (the part that imports fastapi, pandas).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from tests.fixtures.api import *  # noqa: F401,F403
