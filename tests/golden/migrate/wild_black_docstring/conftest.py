"""Fixtures whose docstrings black normalises.
    """

# Code quoted out with a bare string (zarr does this): a no-op statement that looks
# like a module docstring when the split reads it on its own.
"""
@pytest.fixture
def quoted_out(box):
    return box
"""


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
