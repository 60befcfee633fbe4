"""End-to-end fixtures: servers, load clients, environment checks (the part that imports pandas).

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

from __future__ import annotations
import json
import logging
import time
from typing import TYPE_CHECKING, Any
import pandas as pd
import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from _pytest.fixtures import SubRequest

from .conftest_base import logger


class E2ELogger:
    """Structured step log for e2e tests; dumped when a test fails."""

    def __init__(self, test_name: str) -> None:
        self.test_name = test_name
        self.events: list[dict[str, Any]] = []
        self._started = time.perf_counter()
        self._log = logging.getLogger(f"e2e.{test_name}")

    def step(self, name: str, **data: Any) -> dict[str, Any]:
        elapsed_ms = round((time.perf_counter() - self._started) * 1000, 3)
        event = {"seq": len(self.events) + 1, "step": name, "t_ms": elapsed_ms, **data}
        self.events.append(event)
        self._log.debug("step %s %s", name, data)
        return event

    def steps(self) -> list[str]:
        return [event["step"] for event in self.events]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.events)

    def dump(self) -> str:
        return json.dumps({"test": self.test_name, "events": self.events}, indent=2, default=str)


@pytest.fixture
def e2e_logger(request: SubRequest) -> Iterator[E2ELogger]:
    log = E2ELogger(request.node.name)
    log.step("setup", nodeid=request.node.nodeid)
    yield log
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        logger.warning("e2e test failed, step log:\n%s", log.dump())
