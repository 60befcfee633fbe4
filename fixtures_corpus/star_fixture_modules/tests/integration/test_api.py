"""API tests: the FastAPI client and the pandas report frame."""

from tests import conftest

FRAMES = []


def test_client_lists_the_users(client, sample_users):
    response = client.get(f"{conftest.API_PREFIX}/users")
    assert response.status_code == 200
    assert response.json() == sample_users


def test_app_is_built_by_the_helper(app):
    assert conftest.build_app is not None
    assert app.title == "FastAPI"


def test_report_frame(report_frame):
    FRAMES.append(report_frame)
    assert list(report_frame["page"]) == ["/", "/docs"]


def test_report_frame_is_module_scoped(report_frame):
    FRAMES.append(report_frame)
    assert FRAMES[0] is FRAMES[1]


def test_private_names_are_not_star_imported():
    assert not hasattr(conftest, "_private_helper")
    assert not hasattr(conftest, "_not_exported")
    assert conftest.frame_of([{"a": 1}]).shape == (1, 1)
