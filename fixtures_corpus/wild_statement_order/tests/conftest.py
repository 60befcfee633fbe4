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

TAGS = ("unit",)
TAGS += ("fast",)


class Config:
    """Options the suite reads."""

    debug = False


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
def tags():
    return TAGS


@pytest.fixture
def debug_at_import():
    return DEBUG_AT_IMPORT


@pytest.fixture
def plugin_count():
    return PLUGIN_COUNT


@pytest.fixture
def plugins():
    return PLUGINS
