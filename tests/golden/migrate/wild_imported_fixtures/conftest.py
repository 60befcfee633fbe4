"""Fixtures imported from another module are registered from this conftest."""

from shared_plugin import _named_value_impl, reexported_fixture, shared_fixture
from shared_plugin import renamed_source as renamed_fixture
from shared_plugin.with_all import *  # noqa: F403
from shared_plugin.without_all import *  # noqa: F403

__all__ = ["shared_fixture", "reexported_fixture"]


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
