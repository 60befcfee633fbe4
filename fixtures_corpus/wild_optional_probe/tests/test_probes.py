import importlib.util


def installed(name):
    return importlib.util.find_spec(name) is not None


def test_flags_match_what_is_installed(optional_features):
    assert optional_features == {"yaml": installed("yaml"), "absent_plugin": False}


def test_probe_read_the_version_before_deleting_the_name(yaml_version):
    if installed("yaml"):
        import yaml

        assert yaml_version == yaml.__version__
    else:
        assert yaml_version is None


def test_probe_names_are_deleted():
    from tests import conftest

    assert not hasattr(conftest, "_yaml")


def test_cheap_fixture(greeting):
    assert greeting == "hello"
