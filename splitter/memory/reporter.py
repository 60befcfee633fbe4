"""``memory_reporter``: what a test sees of the plugin.

A test asks for RSS at points it chooses; each call becomes a
:class:`~splitter.memory.records.MemoryReport` in the run's summary and JSON.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from splitter.memory.records import MB, MemoryReport


class MemoryReporter:
    """Records the process's RSS at points of one test.

    ``report(label)`` returns the report it records; its ``delta_mb`` is the
    growth since the previous report of this test (or since the fixture was
    set up). ``get_loaded_modules()`` lists the modules imported since pytest
    loaded its plugins — everything the conftests, the test modules and the
    tests so far have pulled in.
    """

    def __init__(
        self,
        *,
        process: str,
        test: str,
        rss: Callable[[], int],
        startup_modules: frozenset[str],
        sink: Callable[[MemoryReport], None],
    ) -> None:
        self._process = process
        self._test = test
        self._rss = rss
        self._startup_modules = startup_modules
        self._sink = sink
        self._last = rss()

    def report(self, label: str = "") -> MemoryReport:
        """Record the current RSS under ``label``; it shows in the run's summary."""
        now = self._rss()
        report = MemoryReport(
            process=self._process,
            test=self._test,
            label=label,
            rss_mb=now / MB,
            delta_mb=(now - self._last) / MB,
            modules_loaded=len(self.get_loaded_modules()),
        )
        self._last = now
        self._sink(report)
        return report

    def get_loaded_modules(self) -> list[str]:
        """Modules imported since pytest started loading conftests, sorted."""
        return sorted(set(sys.modules) - self._startup_modules)
