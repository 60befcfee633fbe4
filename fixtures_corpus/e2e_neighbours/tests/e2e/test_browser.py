"""Needs only the browser."""


def test_home_page(browser, page_titles):
    response = browser.get("/")
    assert response.status_code == 200
    assert f"<title>{page_titles['/']}</title>" in response.text


def test_missing_page(browser):
    assert browser.get("/nowhere").status_code == 404
