"""Module state that several top-level statements build up, in order."""

import os

import pytest

VALUES = ["a", "b"]
if os.environ.get("WILD_ORDER_SHORT") is None:
    VALUES.append("c")
IDS = [value.upper() for value in VALUES]

SETTINGS = {"mode": "lenient", "legacy": True}
SETTINGS["mode"] = "strict"
del SETTINGS["legacy"]
SETTINGS_AT_IMPORT = dict(SETTINGS)


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

from .conftest_base import Config

CONFIG = Config()
CONFIG.debug = True
DEBUG_AT_IMPORT = CONFIG.debug

PLUGINS = []


def register(name):
    """Record a plugin name at import time."""
    PLUGINS.append(name)
    return name


register("alpha")
register("beta")
PLUGIN_COUNT = len(PLUGINS)


@pytest.fixture(params=VALUES, ids=IDS)
def letter(request):
    """One fixture instance per value, ids from IDS."""
    return request.param


@pytest.fixture
def settings_snapshot():
    return SETTINGS_AT_IMPORT


@pytest.fixture
def debug_at_import():
    return DEBUG_AT_IMPORT


@pytest.fixture
def plugin_count():
    return PLUGIN_COUNT


@pytest.fixture
def plugins():
    return PLUGINS
