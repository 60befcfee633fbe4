from tests.conftest import Box


def test_greeting(greeting):
    assert greeting == "hello"


def test_shout(shout):
    assert shout == "HELLO!"


def test_box(box):
    assert isinstance(box, Box) and box.value == "HELLO!"


def test_quoted_out_code_stays_a_string(request):
    from tests import conftest

    assert not hasattr(conftest, "quoted_out")
    assert not request._fixturemanager.getfixturedefs("quoted_out", request.node)
