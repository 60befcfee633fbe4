"""Throughput and fan-out against the loopback websocket server."""

from __future__ import annotations

import contextlib
import json

import pytest

from tests.conftest import THROUGHPUT_MESSAGES, LoopbackWebSocketServer, ThroughputClient

pytestmark = pytest.mark.websocket


def test_environment_is_valid(validate_e2e_environment):
    assert validate_e2e_environment["cpu_count"] >= 1
    assert validate_e2e_environment["probe_port"] > 0
    assert validate_e2e_environment["websockets"]


def test_server_listens_on_loopback(high_volume_server):
    assert isinstance(high_volume_server, LoopbackWebSocketServer)
    assert high_volume_server.url.startswith("ws://127.0.0.1:")
    assert high_volume_server.is_running


@pytest.mark.parametrize(
    "payload",
    [{"text": "hi"}, {"numbers": list(range(50))}, {"nested": {"a": {"b": [1, 2, {"c": None}]}}}, {"text": "ü" * 2_000}],
    ids=["small", "list", "nested", "unicode-2k"],
)
def test_echo_roundtrip(throughput_client, performance_monitor, payload):
    reply = throughput_client.roundtrip(payload)
    assert reply == {"op": "echo", **payload}
    performance_monitor.assert_within_budget("ws_roundtrip")


@pytest.mark.parametrize("count", [1, 100, 1_000])
def test_burst_delivers_in_order(throughput_client, performance_monitor, count):
    frames = throughput_client.burst(count)
    assert [frame["seq"] for frame in frames] == list(range(count))
    performance_monitor.assert_within_budget("burst")


@pytest.mark.slow
def test_pipelined_echo_throughput(throughput_client, e2e_logger):
    rate = throughput_client.echo_throughput(THROUGHPUT_MESSAGES)
    e2e_logger.step("throughput", msgs_per_s=round(rate))
    # Loopback does thousands of msg/s; 50 only catches a broken (e.g. Nagle-stalled) path.
    assert rate > 50, f"loopback echo throughput too low: {rate:.0f} msg/s"
    assert throughput_client.sent == throughput_client.received == THROUGHPUT_MESSAGES


def test_server_counts_messages(throughput_client):
    throughput_client.roundtrip({"n": 1})
    stats = throughput_client.stats()
    assert stats["messages_in"] >= 2
    assert stats["connections"] >= 1


def test_unknown_op_is_reported(throughput_client):
    throughput_client.connection.send(json.dumps({"op": "explode"}))
    assert json.loads(throughput_client.connection.recv(timeout=2)) == {"error": "unknown op 'explode'"}


def test_broadcast_reaches_every_user(setup_e2e_test_environment):
    env = setup_e2e_test_environment
    with contextlib.ExitStack() as stack:
        connections = [stack.enter_context(env.connect()) for _ in env.users]
        for conn in connections:  # an echo proves the server-side handler is registered
            conn.send(json.dumps({"op": "echo"}))
            conn.recv(timeout=2)
        env.logger.step("connected", clients=len(connections))
        connections[0].send(json.dumps({"op": "broadcast", "data": "deploy finished"}))
        received = [json.loads(conn.recv(timeout=2)) for conn in connections]
        env.logger.step("received", frames=len(received))
    assert received == [{"broadcast": "deploy finished"}] * len(env.users)
    assert env.logger.steps()[:3] == ["setup", "environment_ready", "connected"]


def test_each_user_gets_own_echo(setup_e2e_test_environment):
    env = setup_e2e_test_environment
    for ctx in env.users:
        with env.connect() as conn:
            client = ThroughputClient(conn, monitor=env.monitor)
            assert client.roundtrip({"user": ctx.user_id})["user"] == ctx.user_id
    assert len(env.monitor.samples["ws_roundtrip"]) == len(env.users)
    env.monitor.assert_within_budget("ws_roundtrip")


def test_e2e_users_follow_option(setup_e2e_test_environment, e2e_user_count, pytestconfig):
    assert len(setup_e2e_test_environment.users) == e2e_user_count
    assert e2e_user_count == min(pytestconfig.getoption("--e2e-users"), 32)
    assert all(ctx.metadata["e2e"] for ctx in setup_e2e_test_environment.users)


def test_real_websocket_client_falls_back_to_loopback(real_websocket_client, high_volume_server):
    real_websocket_client.send(json.dumps({"op": "echo", "probe": 1}))
    assert json.loads(real_websocket_client.recv(timeout=2)) == {"op": "echo", "probe": 1}
    assert real_websocket_client.remote_address[1] == high_volume_server.port


def test_performance_monitor_memory_is_sane(performance_monitor, throughput_client):
    throughput_client.burst(200)
    assert abs(performance_monitor.rss_delta_mb()) < 200
    assert performance_monitor.summary()["count"].sum() == 1
