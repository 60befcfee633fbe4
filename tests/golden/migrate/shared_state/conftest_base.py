"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import functools
import itertools

import pytest

# Plugin-style registry: name -> object.
REGISTRY = {}
# Append-only event list.
EVENTS = []
# Process-wide id sequence.
_IDS = itertools.count(1)


@functools.lru_cache(maxsize=None)
def load_catalog():
    """Pretend-expensive loader; cached so every caller gets the same dict."""
    EVENTS.append("catalog:loaded")
    return {"items": ("apple", "pear", "plum"), "version": 7}


class Counter:
    """Counts instances in a class attribute shared by all fixtures."""

    instances = 0

    def __init__(self):
        Counter.instances += 1
        self.number = Counter.instances


class ServiceHub:
    """Singleton-ish hub; ``HUB`` below is the one instance."""

    def __init__(self):
        self.services = {}

    def add(self, name, service):
        self.services[name] = service
        REGISTRY[f"hub:{name}"] = service


HUB = ServiceHub()


@pytest.fixture
def registry():
    """The registry dict itself."""
    return REGISTRY


@pytest.fixture
def register():
    """Function that writes into ``REGISTRY`` (and logs to ``EVENTS``)."""

    def _register(name, obj):
        REGISTRY[name] = obj
        EVENTS.append(f"registered:{name}")
        return obj

    yield _register
    REGISTRY.clear()


@pytest.fixture
def events():
    return EVENTS


@pytest.fixture
def next_id():
    """Draw the next id from the shared counter."""
    return lambda: next(_IDS)


@pytest.fixture
def id_source():
    """The counter object itself (same sequence as ``next_id``)."""
    return _IDS


@pytest.fixture
def catalog():
    return load_catalog()


@pytest.fixture
def catalog_again():
    """A second fixture using the cached loader -- must get the same object."""
    return load_catalog()


@pytest.fixture
def catalog_cache_info():
    """Cache statistics of ``load_catalog`` (callable, read at assertion time)."""
    return load_catalog.cache_info


@pytest.fixture
def counter():
    return Counter()


@pytest.fixture
def counter_class():
    return Counter


@pytest.fixture
def hub():
    return HUB


@pytest.fixture
def hub_with_cache(hub):
    """Registers a service on the shared hub; cleaned up afterwards."""
    cache = {}
    hub.add("cache", cache)
    yield hub
    hub.services.pop("cache", None)
