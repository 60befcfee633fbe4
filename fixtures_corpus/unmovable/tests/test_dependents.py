"""Ordinary fixtures built on the dynamic and star-import ones."""


def test_path_parts(path_parts):
    assert path_parts == {
        "full": "srv/data/report.csv",
        "base": "report.csv",
        "dir": "srv/data",
        "ext": ".csv",
    }


def test_dynamic_total(dynamic_total):
    assert dynamic_total == 3


def test_tripled_total(tripled_total):
    assert tripled_total == 9


def test_combined(combined):
    assert combined == "made-by-exec:late-bound:report.csv"
