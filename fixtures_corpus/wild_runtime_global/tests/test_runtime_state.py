import pytest


def test_fixture_sees_what_the_hook_set(db_url):
    assert db_url == "sqlite://"


@pytest.mark.needs_server
def test_hook_sees_what_the_fixture_set(server, request):
    assert dict(request.node.user_properties)["server_seen_by_hook"] == {"port": 8080}
    assert dict(request.node.user_properties)["server_seen_by_hook"] is server


def test_cheap(answer):
    assert answer == 42
