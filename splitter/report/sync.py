"""What ``splitter sync`` and ``splitter join`` print (pure text)."""

from __future__ import annotations

from splitter.migrate.join import JoinOutcome, JoinResult
from splitter.migrate.sync import Sync


def stale_report(sync: Sync) -> str:
    """For ``--check``: the root conftest, what is stale in it, and the command that fixes it."""
    lines = [f"{sync.conftest}: the generated loader is stale; run `splitter sync {sync.conftest}`"]
    lines += [f"  - {what}" for what in sync.stale]
    return "\n".join(lines)


def sync_summary(sync: Sync) -> str:
    """After ``sync``: what it changed, or that nothing had to change."""
    if not sync.changed:
        return f"✓ {sync.conftest}: the loader is up to date"
    return f"✓ synced {sync.conftest}: " + "; ".join(sync.stale)


def join_summary(result: JoinResult) -> str:
    """After ``join``: how it ended and how to undo it."""
    conftest = result.join.conftest
    undo = f"`splitter join --undo {conftest}` puts the split back"
    if result.outcome is JoinOutcome.UNVERIFIED:
        return f"✓ joined {conftest} without verification (--no-verify); {undo}"
    if result.outcome is JoinOutcome.ROLLED_BACK:
        return "✗ the joined conftest changed the fixture API: the split was put back"
    return f"✓ joined {conftest}; fixture API unchanged for {result.tests} tests; {undo}"
