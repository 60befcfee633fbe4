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


class Plain:
    """Reads nothing about itself: free to move."""

    value = 3


@pytest.fixture
def backend():
    return MemoryBackend()


@pytest.fixture
def plain():
    return Plain()
