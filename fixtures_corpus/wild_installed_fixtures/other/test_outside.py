def test_conftest_fixtures_are_invisible_outside_tests(request):
    manager = request._fixturemanager
    for name in ("free_tcp_port_factory", "free_udp_port_factory", "udp_port", "engine"):
        assert not manager.getfixturedefs(name, request.node), name
