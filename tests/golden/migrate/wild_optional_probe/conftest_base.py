"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import pytest

try:
    import yaml as _yaml
except ImportError:  # pragma: no cover - PyYAML is in requirements.txt
    YAML_VERSION = None
else:
    YAML_VERSION = _yaml.__version__
    del _yaml

try:
    import yaml  # noqa: F401
except ImportError:  # pragma: no cover - PyYAML is in requirements.txt
    HAS_YAML = False
else:
    HAS_YAML = True

try:
    import wild_absent_plugin  # noqa: F401
except ImportError:
    HAS_ABSENT_PLUGIN = False
else:  # pragma: no cover - the plugin does not exist
    HAS_ABSENT_PLUGIN = True


@pytest.fixture
def optional_features():
    """What the probes found when the conftest was imported."""
    return {"yaml": HAS_YAML, "absent_plugin": HAS_ABSENT_PLUGIN}


@pytest.fixture
def yaml_version():
    """The version the first probe read before deleting its module name."""
    return YAML_VERSION


@pytest.fixture
def greeting():
    """A cheap fixture with no optional dependency."""
    return "hello"
