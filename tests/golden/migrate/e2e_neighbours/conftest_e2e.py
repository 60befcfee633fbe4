"""End-to-end fixtures: servers, load clients, environment checks.

Split out of conftest.py by splitter; loaded lazily, when a test first needs one of its fixtures.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import httpx
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
    with httpx.Client(
        transport=httpx.MockTransport(serve), base_url="http://app.test"
    ) as client:
        yield client


@pytest.fixture(scope="session")
def warehouse():
    """The analytics warehouse: page views as a pandas frame."""
    import pandas as pd

    return pd.DataFrame(
        {"page": ["/", "/docs", "/", "/"], "ms": [12.0, 30.0, 9.0, 11.0]}
    )
