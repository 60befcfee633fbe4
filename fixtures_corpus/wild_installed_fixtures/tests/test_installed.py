from sqlalchemy import text


def test_imported_fixture(free_tcp_port_factory):
    assert isinstance(free_tcp_port_factory(), int)


def test_imported_under_another_name(udp_port, request):
    assert isinstance(udp_port, int)
    assert not request._fixturemanager.getfixturedefs("free_udp_port", request.node)


def test_heavy_fixture(engine):
    with engine.connect() as connection:
        assert connection.execute(text("select 1")).scalar() == 1


def test_light(answer):
    assert answer == 42
