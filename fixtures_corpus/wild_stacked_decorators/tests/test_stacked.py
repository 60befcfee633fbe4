import os

from tests.conftest import Settings


def test_cwd_is_patched_while_the_fixture_runs(cwd):
    assert cwd == ("/patched", 1)
    assert os.getcwd() != "/patched"


def test_patch_object_and_a_real_fixture(settings_snapshot):
    assert settings_snapshot == ("testing", 4242, True)
    assert Settings.mode == "production"


def test_patch_with_new_injects_nothing(separator):
    assert separator == "|"


def test_a_wrapping_decorator(answer):
    assert answer == (42, "test_a_wrapping_decorator")


def test_all(uses_all):
    assert uses_all == ("/patched", "testing", "|")


def test_mock_arguments_are_not_fixtures(request):
    names = set(request.fixturenames)
    assert "mock_getcwd" not in names and "mock_getpid" not in names
