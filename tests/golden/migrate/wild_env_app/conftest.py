"""Test settings first, then the application: its import fails without them."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

os.environ["ENVAPP_ENV"] = "test"
os.environ.setdefault("ENVAPP_DATABASE_URL", "sqlite+pysqlite:///:memory:")
os.environ.update({"ENVAPP_SECRET_KEY": "not-a-secret"})
pytest.MonkeyPatch().setenv("ENVAPP_REGION", "eu-test")


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
