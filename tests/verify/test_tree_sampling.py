"""The RSS of the pytest process tree, as ``run_pytest`` samples it (fake processes, no pytest run)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import psutil

from splitter.verify import run
from splitter.verify.run import MEMBERS_SECONDS, _Tree


@dataclass
class FakeProcess:
    rss: int
    kids: list[FakeProcess] = field(default_factory=list)
    lookups: int = 0
    gone: bool = False

    def children(self, recursive: bool = False) -> list[FakeProcess]:
        self.lookups += 1
        return list(self.kids)

    def memory_info(self) -> SimpleNamespace:
        if self.gone:
            raise psutil.NoSuchProcess(1)
        return SimpleNamespace(rss=self.rss)


def test_members_are_looked_up_again_only_now_and_then(monkeypatch):
    """Finding the descendants reads all of /proc: not on every 20 ms sample."""
    clock = [100.0]
    monkeypatch.setattr(run.time, "monotonic", lambda: clock[0])
    worker = FakeProcess(30)
    pytest_process = FakeProcess(10, [FakeProcess(20)])
    tree = _Tree(pytest_process)  # type: ignore[arg-type]
    assert [tree.rss() for _ in range(5)] == [30] * 5 and pytest_process.lookups == 1
    pytest_process.kids.append(worker)
    clock[0] += MEMBERS_SECONDS / 2
    assert tree.rss() == 30  # the new worker is not seen yet
    clock[0] += MEMBERS_SECONDS / 2
    assert tree.rss() == 60 and pytest_process.lookups == 2
    worker.gone = True
    assert tree.rss() == 30  # a member that exited counts no more
