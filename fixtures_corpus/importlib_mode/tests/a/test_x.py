"""First of two modules named ``test_x``."""

LABEL = "a"


def test_module_identity(module_info):
    assert module_info["folder"] == "a"
    assert module_info["name"].endswith("test_x")
    assert module_info["name"] != "test_x"  # qualified, so it can't clash


def test_not_on_syspath(syspath_snapshot, tests_dir):
    assert str(tests_dir / "a") not in syspath_snapshot
