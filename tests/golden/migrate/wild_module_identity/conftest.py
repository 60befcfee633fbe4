"""Classes whose behaviour depends on the module they are defined in."""

import inspect

import pytest


class Backend:
    """A keyring-style backend: its name comes from the module that defines it."""

    @classmethod
    def backend_name(cls):
        parent, _, module = cls.__module__.rpartition(".")
        return f"{module} {cls.__name__}"

    def describe(self):
        return f"{type(self).__module__}:{self.__class__.__qualname__}"


class MemoryBackend(Backend):
    priority = 5


class Tagged:
    origin = __module__


def where_defined():
    return inspect.getmodule(where_defined).__name__


@pytest.fixture
def backend():
    return MemoryBackend()


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
