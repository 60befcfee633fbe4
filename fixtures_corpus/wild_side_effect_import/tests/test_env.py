import os


def test_environment_is_set_up():
    assert os.environ["WILD_ENV_READY"] == "1"


def test_value_read_before_the_import(env_before_setup):
    assert env_before_setup is None


def test_value_read_after_the_import(env_after_setup):
    assert env_after_setup == "1"


def test_cheap(answer):
    assert answer == 42
