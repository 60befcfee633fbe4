import inspect
import os


def test_the_handler_is_defined_in_the_conftest(make_handler):
    assert os.path.basename(inspect.getsourcefile(make_handler)) == "conftest.py"
    assert make_handler("start") == "handled start"


def test_events_follow_the_settings(event_names, settings_dict):
    assert len(event_names) == 2 * settings_dict["retries"]
