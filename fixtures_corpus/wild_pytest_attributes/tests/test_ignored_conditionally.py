def test_must_not_be_collected():
    raise AssertionError("this file is in collect_ignore / collect_ignore_glob")
