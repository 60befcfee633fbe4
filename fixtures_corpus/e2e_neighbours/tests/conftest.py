"""End-to-end fixtures that share a tier but not their heavy imports.

A test that drives the ``browser`` should not pay for the analytics
``warehouse`` (pandas) because both are "e2e"; and a unit test pays for neither.
"""

import httpx
import pandas as pd
import pytest

PAGES = {"/": "<title>home</title>", "/docs": "<title>docs</title>"}


def serve(request: httpx.Request) -> httpx.Response:
    """The application under test, in process: a couple of static pages."""
    page = PAGES.get(request.url.path)
    if page is None:
        return httpx.Response(404, text="not found")
    return httpx.Response(200, text=page, headers={"content-type": "text/html"})


@pytest.fixture(scope="session")
def browser():
    """A headless browser: an HTTP client wired to the in-process app."""
    with httpx.Client(transport=httpx.MockTransport(serve), base_url="http://app.test") as client:
        yield client


@pytest.fixture(scope="session")
def warehouse():
    """The analytics warehouse: page views as a pandas frame."""
    return pd.DataFrame({"page": ["/", "/docs", "/", "/"], "ms": [12.0, 30.0, 9.0, 11.0]})


@pytest.fixture
def page_titles():
    """Cheap data: the title each page should show."""
    return {"/": "home", "/docs": "docs"}
