import pytest


@pytest.fixture(scope="session")
def reexported_fixture():
    return {"re": "exported"}


def unused_helper():
    return "helper"
