from tests.conftest import Backend, MemoryBackend, Tagged, where_defined


def test_backend_name():
    assert Backend.backend_name() == "conftest Backend"
    assert MemoryBackend.backend_name() == "conftest MemoryBackend"


def test_describe(backend):
    assert backend.describe() == "tests.conftest:MemoryBackend"


def test_class_body_module():
    assert Tagged.origin == "tests.conftest"


def test_getmodule():
    assert where_defined() == "tests.conftest"


def test_plain(plain):
    assert plain.value == 3
