"""A conftest whose module attributes pytest reads while collecting."""

import sys

import pytest

collect_ignore = ["test_ignored_by_list.py"]
if sys.version_info >= (3, 0):
    collect_ignore.append("test_ignored_conditionally.py")
collect_ignore_glob = ["*_by_glob.py"]

pytestmark = pytest.mark.usefixtures("answer")


# -- splitter: generated, maintained by `splitter sync`. Runs conftest_loader.py,
# which loads the split modules, and binds their fixtures here (visibility kept).
def _load_split():
    import importlib.util
    import os
    import sys

    name = f"{__package__}.conftest_loader" if __package__ else "conftest_loader"
    path = os.path.join(os.path.dirname(__file__), "conftest_loader.py")
    spec = importlib.util.spec_from_file_location(name, path)
    sys.modules[name] = loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    return loader.CONFTEST_NAMES


globals().update(_load_split())
