"""The migration backup: ``.splitter/manifest.json`` next to the migrated conftest.

``splitter migrate`` writes it before touching anything; ``restore`` and
``verify`` read it. All paths in it are POSIX paths relative to the directory
that holds ``.splitter/`` (the conftest's directory)::

    {
      "schema_version": 1,
      "tool_version": "0.2.0",
      "created_at": "2025-01-31T12:00:00+00:00",
      "conftest": "conftest.py",
      "backup": ".splitter/backup/conftest.py",
      "legacy_sha256": "<sha256 of the legacy conftest>",
      "files": [
        {"path": "conftest.py", "sha256": "<as written>", "action": "replaced",
         "backup": ".splitter/backup/conftest.py"},
        {"path": "conftest_loader.py", "sha256": "<as written>", "action": "created"},
        {"path": "conftest_services.py", "sha256": "<as written>", "action": "created"}
      ],
      "keep": ["CLOSED"]
    }

``created`` files did not exist before the migration; ``replaced`` files did,
and their legacy copy is ``backup`` (for the conftest itself, the top-level
``backup``). Every ``path`` is a plain file name beside the conftest; a manifest
naming anything else is refused, so a tampered one cannot make ``restore``
remove files elsewhere. ``keep`` (optional; 0.2.0 wrote none) names what the split
kept in the root conftest on request (``--keep``, ``[tool.splitter] keep``) or
after a first verification (re-planning): a later incremental ``migrate`` keeps
them there too. ``tool_version`` is informational: any splitter that
reads this ``schema_version`` restores the migration.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splitter.safety.disk import atomic_write
from splitter.errors import UserError

SCHEMA_VERSION = 1
DIRECTORY = ".splitter"
FILENAME = "manifest.json"


class FileAction(str, enum.Enum):
    """What the migration did to a file."""

    CREATED = "created"
    REPLACED = "replaced"


@dataclass(frozen=True)
class ManifestFile:
    """One file the migration wrote."""

    path: str
    sha256: str
    action: FileAction
    backup: str | None = None  # the legacy copy of a replaced file


@dataclass(frozen=True)
class Manifest:
    """What a migration changed, and where the legacy conftest is kept."""

    tool_version: str
    created_at: str
    conftest: str
    backup: str
    legacy_sha256: str
    files: tuple[ManifestFile, ...]
    keep: tuple[str, ...] = ()  # names the split kept in the root conftest (--keep, re-planning)
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> str:
        """The text of ``manifest.json``."""
        data: dict[str, Any] = {
            "schema_version": self.schema_version,
            "tool_version": self.tool_version,
            "created_at": self.created_at,
            "conftest": self.conftest,
            "backup": self.backup,
            "legacy_sha256": self.legacy_sha256,
            "files": [_file_json(f) for f in self.files],
            "keep": sorted(self.keep),
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = FILENAME) -> Manifest:
        """Parse ``manifest.json``; a UserError when it is not a manifest we can read."""
        try:
            data = json.loads(text)
            if data["schema_version"] != SCHEMA_VERSION:
                raise ValueError(
                    f"unsupported schema_version {data['schema_version']!r}; "
                    f"this splitter reads schema_version {SCHEMA_VERSION}, use the splitter that wrote it"
                )
            manifest = cls(
                tool_version=str(data["tool_version"]),
                created_at=str(data["created_at"]),
                conftest=str(data["conftest"]),
                backup=str(data["backup"]),
                legacy_sha256=str(data["legacy_sha256"]),
                files=tuple(_file(entry) for entry in data["files"]),
                keep=tuple(str(name) for name in data.get("keep", ())),
            )
            for name in (manifest.conftest, *(f.path for f in manifest.files)):
                _check_beside(name)
            return manifest
        except (ValueError, KeyError, TypeError) as exc:
            raise UserError(
                f"{source} is not a readable splitter manifest ({exc})"
            ) from exc


def manifest_path(conftest_dir: Path) -> Path:
    """Where the manifest of a conftest in this directory lives."""
    return conftest_dir / DIRECTORY / FILENAME


def load_manifest(conftest_dir: Path) -> Manifest:
    """The manifest next to the conftest, or a UserError saying there is none."""
    path = manifest_path(conftest_dir)
    if not path.is_file():
        raise UserError(
            f"no migration backup found next to {conftest_dir}; use --against or --save"
        )
    return Manifest.from_json(path.read_text(encoding="utf-8"), str(path))


def save_manifest(conftest_dir: Path, manifest: Manifest) -> Path:
    """Write the manifest (creating ``.splitter/``) and return its path."""
    path = manifest_path(conftest_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, manifest.to_json().encode("utf-8"))
    return path


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_beside(name: str) -> None:
    """Every file of a migration sits beside the conftest: a plain file name, no directories."""
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise ValueError(f"file path {name!r} is not a file beside the conftest")


def _file(entry: dict[str, Any]) -> ManifestFile:
    backup = entry.get("backup")
    return ManifestFile(
        path=str(entry["path"]),
        sha256=str(entry["sha256"]),
        action=FileAction(entry["action"]),
        backup=None if backup is None else str(backup),
    )


def _file_json(entry: ManifestFile) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": entry.path,
        "sha256": entry.sha256,
        "action": entry.action.value,
    }
    if entry.backup is not None:
        data["backup"] = entry.backup
    return data
