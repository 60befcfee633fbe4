"""End-to-end fixtures: servers, load clients, environment checks.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
from typing import TYPE_CHECKING
import pytest

from supervisor_service import UserExecutionContext

if TYPE_CHECKING:

    from _pytest.fixtures import SubRequest

from .conftest_base import DEFAULT_E2E_USERS, MAX_E2E_USERS, build_context, next_test_id

# =============================================================================
# 14. End-to-end (loopback servers, performance)
# =============================================================================


@pytest.fixture(scope="session")
def e2e_user_count(request: SubRequest) -> int:
    requested = request.config.getoption("--e2e-users", default=DEFAULT_E2E_USERS)
    return max(1, min(int(requested), MAX_E2E_USERS))


@pytest.fixture(scope="module")
def e2e_user_contexts(e2e_user_count: int) -> list[UserExecutionContext]:
    return [build_context(next_test_id("e2e_user"), e2e=True) for _ in range(e2e_user_count)]
