"""Reading this process's memory: current RSS, peak RSS, age.

psutil is the portable source. On Linux, psutil itself reads
``/proc/self/statm`` for the RSS; reading that file through a descriptor kept
open gives the same number about ten times faster (~2 µs instead of ~16 µs),
which matters when every fixture setup takes two samples.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import psutil

RssReader = Callable[[], int]


def rss_reader() -> RssReader:
    """A function returning the current resident set size of this process, in bytes."""
    statm = _statm_reader()
    if statm is not None:
        return statm
    process = psutil.Process()
    return lambda: int(process.memory_info().rss)


def _statm_reader() -> RssReader | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        descriptor = os.open("/proc/self/statm", os.O_RDONLY)
    except OSError:
        return None
    page = os.sysconf("SC_PAGE_SIZE")
    owner = os.getpid()

    def read() -> int:
        if (
            os.getpid() != owner
        ):  # a forked child: the descriptor still names the parent
            return int(psutil.Process().memory_info().rss)
        return int(os.pread(descriptor, 128, 0).split()[1]) * page

    return read


def peak_rss() -> int | None:
    """The largest RSS this process has had so far, in bytes, where the OS tells."""
    try:
        import resource
    except ImportError:  # Windows
        info = psutil.Process().memory_info()
        peak = getattr(info, "peak_wset", None)
        return int(peak) if peak is not None else None
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(maxrss) if sys.platform == "darwin" else int(maxrss) * 1024


def process_age() -> float | None:
    """Seconds since this process started (psutil, to the OS clock's resolution)."""
    try:
        return max(time.time() - float(psutil.Process().create_time()), 0.0)
    except psutil.Error:
        return None


def total_memory() -> int:
    """The machine's physical memory, in bytes."""
    return int(psutil.virtual_memory().total)
