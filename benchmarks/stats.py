"""Repeated measurements and what the benchmarks report about them: medians, ranges, ratios."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Cost:
    """One measurement: wall and CPU seconds, and peak RSS in bytes (0 when not measured)."""

    wall: float
    cpu: float
    rss: int = 0


@dataclass(frozen=True)
class Spread:
    """The median of repeated values with their minimum and maximum."""

    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values), len(values))

    def as_json(self, digits: int = 3) -> dict[str, float | int]:
        return {
            "median": round(self.median, digits),
            "min": round(self.low, digits),
            "max": round(self.high, digits),
            "n": self.count,
        }


@dataclass(frozen=True)
class Costs:
    """Repeated :class:`Cost` measurements of one thing."""

    samples: tuple[Cost, ...]

    @property
    def wall(self) -> Spread:
        return Spread.of([c.wall for c in self.samples])

    @property
    def cpu(self) -> Spread:
        return Spread.of([c.cpu for c in self.samples])

    @property
    def rss_mb(self) -> Spread:
        return Spread.of([c.rss / 2**20 for c in self.samples])

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "wall_s": self.wall.as_json(),
            "cpu_s": self.cpu.as_json(),
        }
        if any(c.rss for c in self.samples):
            data["peak_rss_mb"] = self.rss_mb.as_json(1)
        return data


def ratio(value: float, floor: float) -> float:
    """``value / floor``; NaN when the floor is not positive."""
    return value / floor if floor > 0 else math.nan


def share_removed(before: float, after: float, floor: float, minimum: float) -> float:
    """(before − after) / (before − floor): how much of what could go went.

    NaN when there was less than ``minimum`` above the floor to remove: a ratio
    of two noise-sized numbers means nothing.
    """
    removable = before - floor
    return (before - after) / removable if removable >= minimum else math.nan


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of log y against log x: the exponent k of y ∝ x^k."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    num = sum((a - mx) * (b - my) for a, b in zip(lx, ly))
    den = sum((a - mx) ** 2 for a in lx)
    return num / den if den else math.nan
