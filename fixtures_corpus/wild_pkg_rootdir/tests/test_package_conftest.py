from wild_pkg_rootdir import conftest
from wild_pkg_rootdir.conftest import Item, make_item


def test_import_by_package_name(item):
    assert isinstance(item, Item) and make_item("x").price == 10


def test_module_attribute(basket):
    assert [i.name for i in basket] == ["apple", "pear"]
    assert conftest.DEFAULT_PRICE == 10
