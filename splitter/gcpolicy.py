"""How often Python's cyclic garbage collector runs while splitter works.

Analysing a conftest builds hundreds of thousands of small objects that live
until the split is rendered: libcst trees, their metadata, the scopes. CPython
runs a full collection, which walks every one of them, whenever ten younger
collections have passed and the long-lived heap has grown by a quarter. On a
5,000-line conftest that was 8 full collections and 1.3 s of a 5.5 s run, and
they find next to nothing: libcst trees hold no reference cycles and
reference counting frees them. Like mypy, which raises the collector's
thresholds while it builds, splitter makes full collections ten times rarer
while it analyses and renders, and puts the thresholds back afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FULL_COLLECTION_EVERY = 100  # younger collections between two full ones (CPython's default is 10)


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    """Within the block, full collections run at most a tenth as often (the thresholds are restored after)."""
    previous = gc.get_threshold()
    gc.set_threshold(*previous[:2], max(previous[2], FULL_COLLECTION_EVERY))
    try:
        yield
    finally:
        gc.set_threshold(*previous)
