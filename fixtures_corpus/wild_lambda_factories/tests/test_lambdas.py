import sys


def test_answer(answer_fxt):
    assert answer_fxt == 42


def test_scoped(session_value, request):
    assert session_value == "shared"
    assert request._fixturemanager.getfixturedefs("session_value", request.node)[-1].scope == "session"


def test_name_keyword(numbers, request):
    assert numbers == [1, 2]
    assert not request._fixturemanager.getfixturedefs("renamed_attribute", request.node)


def test_derived(doubled):
    assert doubled == 84


def test_direct_lambda(direct):
    assert direct == 43


def test_opaque_signature(pair, answer_fxt, direct):
    assert pair == (42, 43) == (answer_fxt, direct)


def test_total(total):
    assert total == 42 + 84 + 43 + 3


def test_function_defined_elsewhere(platform, platform_again):
    assert platform == f"{sys.platform}:platform"
    assert platform_again == f"{sys.platform}:platform_again"
