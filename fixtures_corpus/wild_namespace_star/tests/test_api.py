from tests.conftest import make_request


def test_star_imported_fixtures(api_client, api_token):
    assert api_client("/x")["headers"]["Authorization"] == f"Bearer {api_token}"


def test_fixture_using_star_imported_one(request_for):
    assert request_for["path"] == "https://example.test/users"


def test_helper_reached_through_the_conftest():
    assert make_request("/y", "t") == {"path": "/y", "headers": {"Authorization": "Bearer t"}}
