"""Fixtures reading plain data that a heavy package defines, only inside their bodies.

As in pip-tools (`from piptools.locations import DEFAULT_CONFIG_FILE_NAMES`, read in the
default of a function a fixture returns) and sqlmesh (`from sqlmesh.utils.windows import
IS_WINDOWS, fix_windows_path`, the flag read in a fixture's body).
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
