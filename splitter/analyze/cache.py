"""Persistent caches (I/O): measured import costs, one JSON file written atomically, and
results of pure steps (:class:`ResultCache`), one pickle per input.

Location: ``$SPLITTER_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/splitter``,
else ``~/.cache/splitter``. A damaged or unreadable cache is treated as empty.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from splitter.model import ModuleCost

CACHE_FILE = "import-costs-v1.json"
Extra = TypeVar("Extra")
Result = TypeVar("Result")


def default_cache_dir() -> Path:
    """Where measurements are cached unless told otherwise."""
    if os.environ.get("SPLITTER_CACHE_DIR"):
        return Path(os.environ["SPLITTER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "splitter"


@dataclass
class CostCache:
    """Measured costs by cache key (see :func:`splitter.analyze.measure.cache_key`)."""

    directory: Path
    entries: dict[str, dict[str, object]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> CostCache:
        """The cache in ``directory``, empty if missing or unreadable."""
        try:
            data = json.loads((directory / CACHE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        return cls(directory, data if isinstance(data, dict) else {})

    def get(self, key: str, module: str) -> ModuleCost | None:
        """The cached cost of ``module`` under ``key``, marked as cached."""
        entry = self.entries.get(key)
        if not isinstance(entry, dict):
            return None
        megabytes, seconds, loads, error = (
            entry.get(k) for k in ("megabytes", "seconds", "loads", "error")
        )
        if not (
            isinstance(megabytes, (int, float, type(None)))
            and isinstance(seconds, (int, float, type(None)))
            and isinstance(loads, list)
            and isinstance(error, (str, type(None)))
        ):
            return None
        return ModuleCost(
            module, megabytes, seconds, tuple(map(str, loads)), error, cached=True
        )

    def put(self, key: str, cost: ModuleCost) -> None:
        """Remember a fresh measurement."""
        entry = asdict(cost)
        entry.pop("module")
        entry.pop("cached")
        entry["loads"] = list(cost.loads)
        self.entries[key] = entry

    def save(self) -> None:
        """Write the cache atomically; failing to write it is not an error."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                dir=self.directory, prefix=".costs-", suffix=".json"
            )
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.entries, stream, sort_keys=True, indent=1)
            os.replace(temporary, self.directory / CACHE_FILE)
        except OSError:
            pass


RESULTS_DIR = "results-v1"
KEEP_RESULTS = 32  # files of one kind kept; the oldest go first


@functools.cache
def code_fingerprint() -> str:
    """What decides splitter's results besides its input: its own code and libcst's.

    The version alone would go stale in a checkout being edited, so every source
    file of splitter counts by size and mtime; libcst's version decides the shape
    of the syntax trees a cached result holds; Python's decides how they pickle.
    """
    import libcst

    package = Path(__file__).resolve().parents[1]
    stamps = sorted(
        (str(p.relative_to(package)), p.stat().st_mtime_ns, p.stat().st_size) for p in package.rglob("*.py")
    )
    from splitter import __version__
    from libcst._version import __version__ as libcst_version

    digest = hashlib.sha256(
        json.dumps([__version__, libcst_version, sys.version, libcst.__file__, stamps]).encode()
    )
    return digest.hexdigest()


def content_digest(text: str) -> str:
    """A short name for a source text's exact content."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ResultCache:
    """Results of pure steps (a parse, a scan) by the exact inputs they depend on (I/O).

    One pickle file per key in ``<cache dir>/results-v1``, written atomically; the
    key is stored in the file and compared on reading. A missing, damaged or
    foreign file is a miss, never an error, and failing to write is not an error.
    Callers put in the key everything that decides the result, and
    :func:`code_fingerprint` for the code that computes it.
    """

    directory: Path
    kind: str

    def path(self, key: object) -> Path:
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
        return self.directory / RESULTS_DIR / f"{self.kind}-{digest[:32]}.pickle"

    def get(self, key: object) -> object | None:
        """The result stored under ``key``, None when there is none (or it is unreadable)."""
        try:
            with self.path(key).open("rb") as stream:
                stored_key, value = pickle.load(stream)
        except Exception:  # noqa: BLE001 - any damage (truncated, old classes, garbage) is a miss
            return None
        return value if stored_key == key else None

    def put(self, key: object, value: object) -> None:
        """Store ``value`` under ``key`` (atomically); keep the newest files of this kind."""
        target = self.path(key)
        try:
            data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a result that does not pickle is simply not kept
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".result-", suffix=".pickle")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
            self.prune(target.parent)
        except OSError:
            pass

    def prune(self, folder: Path) -> None:
        """Remove the oldest files of this kind beyond :data:`KEEP_RESULTS`."""
        files = sorted(folder.glob(f"{self.kind}-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in files[:-KEEP_RESULTS]:
            old.unlink(missing_ok=True)


class RememberedPerFile(Generic[Extra, Result]):
    """A pure function of one file's source (and ``Extra``: its package, say), remembered
    per file content for the files of one folder.

    One cache entry per folder and ``kind`` holds the results of every file read
    last time; call :meth:`save` when done (it keeps only what this run read).
    """

    def __init__(self, cache_dir: Path, kind: str, folder: Path, compute: Callable[[str, Extra], Result]) -> None:
        self.results = ResultCache(cache_dir, kind)
        self.key = [code_fingerprint(), kind, str(folder.resolve())]
        self.compute = compute
        stored = self.results.get(self.key)
        self.known: dict[tuple[Extra, str], Result] = stored if isinstance(stored, dict) else {}
        self.used: dict[tuple[Extra, str], Result] = {}

    def __call__(self, source: str, extra: Extra) -> Result:
        entry = (extra, content_digest(source))
        if entry not in self.known:
            self.used[entry] = self.compute(source, extra)
        elif entry not in self.used:
            self.used[entry] = self.known[entry]
        return self.used[entry]

    def save(self) -> None:
        """Store what this run read, if it differs from what was stored."""
        if self.used != self.known:
            self.results.put(self.key, self.used)
