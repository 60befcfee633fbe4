"""Pure logic: no heavy fixture."""


def test_titles_are_lowercase(page_titles):
    assert all(title == title.lower() for title in page_titles.values())
