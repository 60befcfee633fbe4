"""splitter: split a monolithic pytest conftest.py into lazily loaded modules.

The pipeline reads as the package does: ``parse`` → ``analyze`` → ``plan`` →
``render`` → ``write`` → ``verify`` → ``report``, with ``cli`` on top.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("splitter")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
