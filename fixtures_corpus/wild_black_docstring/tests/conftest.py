"""Fixtures whose docstrings black normalises.
    """

import pytest


@pytest.fixture
def greeting():
    """Text.
    """
    return "hello"


@pytest.fixture
def shout(greeting):
    """
    Shout the greeting.   

    The closing quotes sit on their own line.
        """
    return greeting.upper() + "!"


class Box:
    """A box.
    """

    def __init__(self, value):
        '''Keep ``value``.   '''
        self.value = value


def make_box(value):
    '''Build a box.
       '''
    return Box(value)


@pytest.fixture
def box(shout):
    """A box holding the shout.
    """
    return make_box(shout)


# Code quoted out with a bare string (zarr does this): a no-op statement that looks
# like a module docstring when the split reads it on its own.
"""
@pytest.fixture
def quoted_out(box):
    return box
"""
