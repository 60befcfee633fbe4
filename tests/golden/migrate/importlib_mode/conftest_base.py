"""Cheap fixtures and shared state: data, users, contexts, helpers.

Split out of conftest.py by splitter; loaded eagerly by the conftest.
To add a fixture, define it here and run `splitter sync` on the conftest (pytest warns until then).
"""

import sys
from pathlib import Path

import pytest

# Modules that requested ``module_info``; used to show both test_x modules coexist.
MODULES_SEEN = {}


@pytest.fixture
def module_info(request):
    """Describe the requesting test module (name, file, folder)."""
    module = request.module
    info = {
        "name": module.__name__,
        "file": Path(module.__file__).resolve(),
        "folder": Path(module.__file__).resolve().parent.name,
    }
    MODULES_SEEN[info["name"]] = module
    return info


@pytest.fixture
def modules_seen():
    return MODULES_SEEN


@pytest.fixture
def syspath_snapshot():
    """Resolved ``sys.path`` entries at test time."""
    return {str(Path(entry or ".").resolve()) for entry in sys.path}


@pytest.fixture(params=["a", "b"])
def folder_name(request):
    """Parametrized over the two sibling folders."""
    return request.param


@pytest.fixture
def folder_file(tests_dir, folder_name):
    """Path of ``test_x.py`` inside the parametrized folder."""
    return tests_dir / folder_name / "test_x.py"
