"""Fixtures that connect to real services (the part that imports psycopg, sqlalchemy).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from typing import TYPE_CHECKING
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

try:  # psycopg is optional: only needed for --run-real-services against Postgres
    import psycopg  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the developer machine
    psycopg = None

if TYPE_CHECKING:
    from collections.abc import Iterator

from .conftest_real_services import RealServiceEndpoints


@pytest.fixture
def real_postgres(real_services_session: RealServiceEndpoints) -> Iterator[sa.Connection]:
    if psycopg is None:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    url = real_services_session.require("postgres")
    driver_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(driver_url, connect_args={"connect_timeout": 1}, poolclass=NullPool)
    try:
        connection = engine.connect()
    except sa.exc.OperationalError as exc:
        engine.dispose()
        pytest.skip(f"cannot connect to Postgres at {url}: {exc}")
    transaction = connection.begin()
    yield connection
    transaction.rollback()
    connection.close()
    engine.dispose()
