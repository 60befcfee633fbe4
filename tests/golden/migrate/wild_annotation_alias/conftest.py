"""Type aliases from a heavy package, read only in annotations (the wild run's zarr:
``from zarr.core.common import JSON, DimensionNames, ShapeLike`` under postponed
annotations). A split moves the import under ``if TYPE_CHECKING:``; the aliases must
still be the conftest's attributes, as they were.
"""

from __future__ import annotations


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
