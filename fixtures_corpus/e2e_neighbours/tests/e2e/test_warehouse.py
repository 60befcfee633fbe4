"""Needs only the warehouse."""


def test_views_per_page(warehouse):
    views = warehouse.groupby("page")["ms"].count().to_dict()
    assert views == {"/": 3, "/docs": 1}


def test_slowest_page(warehouse):
    assert warehouse.sort_values("ms").iloc[-1]["page"] == "/docs"
