"""``[tool.splitter]`` in the target project's ``pyproject.toml``, as a frozen dataclass.

``split_settings`` is pure (a mapping in, settings out); ``load_split_settings``
is the thin I/O edge that finds and reads the file.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from splitter.errors import UserError
from splitter.model import Impact

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]


class Group(str, enum.Enum):
    """The concerns fixtures are grouped by, cheapest first.

    The order matters: a module may import from the modules before it, never
    from those after it, so the split has no import cycles.
    """

    BASE = "base"
    MOCKS = "mocks"
    SERVICES = "services"
    REAL_SERVICES = "real_services"
    E2E = "e2e"


DEFAULT_STEMS: Mapping[Group, str] = {group: f"conftest_{group.value}" for group in Group}
DEFAULT_EAGER = (Group.BASE, Group.MOCKS)


@dataclass(frozen=True)
class SplitSettings:
    """How to split: module names, pins, which modules load eagerly, thresholds."""

    stems: Mapping[Group, str] = field(default_factory=lambda: dict(DEFAULT_STEMS))
    pins: Mapping[str, Group] = field(default_factory=dict)  # fixture name -> group
    keep: frozenset[str] = frozenset()  # names (fixtures, helpers…) that stay in the root conftest
    eager: tuple[Group, ...] = DEFAULT_EAGER
    thresholds: tuple[float, float, float, float] = (1.0, 5.0, 25.0, 75.0)
    # A fixture rated at this level or above never goes to an eagerly loaded module.
    lazy_from: Impact = Impact.MEDIUM

    def stem(self, group: Group) -> str:
        """The module file stem of ``group`` (``conftest_base`` unless renamed)."""
        return self.stems[group]

    def is_eager(self, group: Group) -> bool:
        """Whether ``group``'s module is imported while pytest collects."""
        return group in self.eager


def split_settings(table: Mapping[str, Any]) -> SplitSettings:
    """Build settings from a ``[tool.splitter]`` table; unknown keys are errors."""
    known = {"modules", "pin", "eager", "thresholds", "lazy_from", "lazy_units", "keep"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise UserError(f"[tool.splitter] has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    stems = dict(DEFAULT_STEMS)
    for key, stem in dict(table.get("modules", {})).items():
        stems[_group(key, "[tool.splitter.modules]")] = _stem(stem)
    if len(set(stems.values())) != len(stems):
        raise UserError("[tool.splitter.modules] gives two groups the same module name")
    pins = {str(name): _group(group, f"[tool.splitter.pin] {name}") for name, group in dict(table.get("pin", {})).items()}
    eager = tuple(_group(g, "[tool.splitter] eager") for g in table.get("eager", [g.value for g in DEFAULT_EAGER]))
    thresholds = tuple(float(x) for x in table.get("thresholds", (1, 5, 25, 75)))
    if len(thresholds) != 4 or list(thresholds) != sorted(thresholds):
        raise UserError("[tool.splitter] thresholds must be four increasing numbers of MB (LOW, MEDIUM, HIGH, VERY_HIGH)")
    lazy_from = str(table.get("lazy_from", Impact.MEDIUM.name)).upper()
    if lazy_from not in Impact.__members__:
        raise UserError(f"[tool.splitter] lazy_from must be one of {', '.join(Impact.__members__)}")
    # ``lazy_units`` chose 0.1.0's modules per heavy import; 0.2.0 always writes one module per
    # tier, so the key is accepted (a project's settings keep working) and has no effect.
    if str(table.get("lazy_units", "tier")) not in ("dependency", "tier"):
        raise UserError('[tool.splitter] lazy_units must be "dependency" or "tier" (0.2.0 ignores it)')
    keep = table.get("keep", [])
    if not isinstance(keep, list) or not all(isinstance(name, str) for name in keep):
        raise UserError("[tool.splitter] keep must be a list of names (fixtures or helpers to keep in the root conftest)")
    return SplitSettings(
        stems=stems,
        pins=pins,
        keep=frozenset(keep),
        eager=eager,
        thresholds=(thresholds[0], thresholds[1], thresholds[2], thresholds[3]),
        lazy_from=Impact[lazy_from],
    )


def load_split_settings(conftest: Path) -> SplitSettings:
    """Read ``[tool.splitter]`` from the nearest ``pyproject.toml`` above ``conftest``."""
    for directory in conftest.resolve().parents:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise UserError(f"{candidate} is not valid TOML: {exc}") from None
            return split_settings(data.get("tool", {}).get("splitter", {}))
    return SplitSettings()


def _group(value: object, where: str) -> Group:
    try:
        return Group(str(value))
    except ValueError:
        raise UserError(f"{where}: {value!r} is not a group; use one of {', '.join(g.value for g in Group)}") from None


def _stem(value: object) -> str:
    stem = str(value).removesuffix(".py")
    if not stem.isidentifier() or stem == "conftest":
        raise UserError(f"[tool.splitter.modules]: {value!r} is not a valid module name")
    return stem
