"""The persistent cache of measured import costs (I/O): one JSON file, written atomically.

Location: ``$SPLITTER_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/splitter``,
else ``~/.cache/splitter``. A damaged or unreadable cache is treated as empty.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from splitter.model import ModuleCost

CACHE_FILE = "import-costs-v1.json"


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
