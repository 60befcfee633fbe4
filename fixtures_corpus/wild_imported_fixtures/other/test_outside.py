def test_conftest_fixtures_are_invisible_outside_tests(request):
    manager = request._fixturemanager
    for name in ("shared_fixture", "reexported_fixture", "named_value", "starred_public"):
        assert not manager.getfixturedefs(name, request.node), name
