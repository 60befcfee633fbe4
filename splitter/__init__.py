"""splitter: split a monolithic pytest conftest.py into lazily loaded modules.

The pipeline reads as the package does: ``parse`` → ``analyze`` → ``plan`` →
``render`` → ``write`` → ``verify`` → ``report``, with ``cli`` on top.
"""

# The one place the version is written (pyproject.toml reads it from here): no
# importlib.metadata lookup, which every pytest run would pay through our plugin.
__version__ = "0.2.0"

__all__ = ["__version__"]
