"""``usefixtures`` on a module, a class and single functions.

pytest applies the closest marks first: function, then class, then the
module-level ``pytestmark`` -- the ``activated`` log pins that order.
"""

import os

import pytest

pytestmark = pytest.mark.usefixtures("audit_trail")


@pytest.mark.usefixtures("clean_environment")
def test_clean_environment(activated):
    assert os.environ.get("CORPUS_SERVICE_URL") is None
    assert activated[-2:] == ["clean_environment", "audit_trail"]


@pytest.mark.usefixtures("fake_service_url")
class TestWithService:
    def test_env_is_set(self, activated):
        assert os.environ["CORPUS_SERVICE_URL"] == "http://service.invalid"
        assert activated[-2:] == ["fake_service_url", "audit_trail"]

    @pytest.mark.usefixtures("clean_environment")
    def test_method_mark_combines_with_class_mark(self, activated):
        # clean_environment ran first, then fake_service_url set the variable again.
        assert activated[-3:] == ["clean_environment", "fake_service_url", "audit_trail"]
        assert os.environ["CORPUS_SERVICE_URL"] == "http://service.invalid"


def test_module_pytestmark_applies(activated):
    assert activated[-1] == "audit_trail"
