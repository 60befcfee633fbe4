from tests.conftest import Box


def test_greeting(greeting):
    assert greeting == "hello"


def test_shout(shout):
    assert shout == "HELLO!"


def test_box(box):
    assert isinstance(box, Box) and box.value == "HELLO!"
