def test_shared(shared_fixture, shared_again):
    assert shared_fixture == shared_again == "shared"


def test_reexported(reexported_fixture):
    assert reexported_fixture == {"re": "exported"}


def test_renamed(renamed_fixture, request):
    assert renamed_fixture == "renamed"
    assert not request._fixturemanager.getfixturedefs("renamed_source", request.node)


def test_name_keyword(named_value):
    assert named_value == "shared-named"


def test_star_imports(starred_public, star_no_all, request):
    assert (starred_public, star_no_all) == ("starred", "no all")
    manager = request._fixturemanager
    assert not manager.getfixturedefs("not_in_all", request.node)
    assert not manager.getfixturedefs("_private_star", request.node)


def test_local(local_fixture):
    assert local_fixture == "shared+exported+helper"


def test_the_conftest_keeps_its_all():
    from tests import conftest

    assert conftest.__all__ == ["shared_fixture", "reexported_fixture"]
