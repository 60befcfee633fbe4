"""Tests that need one database fixture, ``user_factory``, and nothing else heavy.

``UserFactory`` can persist the users it builds, so it lives with the SQLAlchemy
fixtures: running this module pays for SQLAlchemy, and should pay for nothing
else (not FastAPI, not pandas). It is measured as its own tier (db-only).
"""

from __future__ import annotations

import asyncio

from supervisor_service.agents import Supervisor
from tests.conftest import TEST_RESOURCE_REGISTRY


def test_user_factory_defaults_and_overrides(user_factory):
    user = user_factory.build(role="admin")
    assert user["email"] == f"{user['id']}@example.com"
    assert user["role"] == "admin"
    assert user["id"] in TEST_RESOURCE_REGISTRY["users"]


def test_user_factory_batch_is_unique(user_factory):
    batch = user_factory.build_batch(5)
    assert len({u["id"] for u in batch}) == 5
    assert user_factory.created == batch


def test_concurrent_contexts_are_isolated(concurrent_user_contexts):
    keys = {ctx.isolation_key for ctx in concurrent_user_contexts}
    users = {ctx.user_id for ctx in concurrent_user_contexts}
    assert len(keys) == len(users) == len(concurrent_user_contexts)
    assert [ctx.metadata["index"] for ctx in concurrent_user_contexts] == list(range(len(concurrent_user_contexts)))


async def test_supervisors_do_not_share_results(concurrent_user_contexts):
    supervisors = [Supervisor.for_request(ctx) for ctx in concurrent_user_contexts]
    await asyncio.gather(*(s.run("echo", {"input": s.context.user_id}) for s in supervisors))
    for supervisor in supervisors:
        assert len(supervisor.results) == 1
        assert supervisor.results[0].output["user_id"] == supervisor.context.user_id
