"""Small-count suppression: what may leave a warehouse, and what must not.

The rules (``../shared/DESIGN.md``, "Warehouses: only aggregates leave"):

- a count of 1 to ``threshold - 1`` is suppressed (primary suppression). A count of 0 is
  published: it describes no one (an empty table, a column with no nulls);
- when cells of a published total are suppressed, more cells are suppressed until the
  suppressed cells together hold at least ``threshold`` and are at least two, so the total
  minus the published cells cannot give a small count back (secondary suppression); when
  that is impossible, the total is suppressed too;
- a rate whose numerator or complement is a small count is suppressed (a null rate times
  the row count would give the count back);
- percentiles are published only over at least ``threshold`` people, and only robust ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_THRESHOLD = 10


def is_small(count: int, threshold: int) -> bool:
    """Whether ``count`` would single out fewer than ``threshold`` people or rows."""
    return 0 < count < threshold


@dataclass(frozen=True)
class Cells:
    """Counts that may be published, after suppression; suppressed cells are absent."""

    published: dict[str, int]
    suppressed: frozenset[str]
    #: the total, or None when it had to be suppressed as well
    total: int | None


def suppress_cells(cells: Mapping[str, int], threshold: int, *,
                   total: int | None = None) -> Cells:
    """Cells of a breakdown whose ``total`` (default: their sum) is published.

    Primary suppression of small cells, then the smallest other non-zero cells until the
    suppressed part holds at least ``threshold`` and is at least two cells.
    """
    whole = sum(cells.values()) if total is None else total
    hidden = {name for name, count in cells.items() if is_small(count, threshold)}
    remaining_total: int | None = whole
    if hidden:
        candidates = sorted((count, name) for name, count in cells.items()
                            if name not in hidden and count > 0)
        while (len(hidden) < 2 or sum(cells[n] for n in hidden) < threshold) and candidates:
            hidden.add(candidates.pop(0)[1])
        if len(hidden) < 2 or sum(cells[n] for n in hidden) < threshold:
            remaining_total = None
    if remaining_total is not None and is_small(remaining_total, threshold):
        remaining_total = None
        hidden = set(cells)
    return Cells({n: c for n, c in cells.items() if n not in hidden}, frozenset(hidden),
                 remaining_total)


def safe_count(count: int | None, threshold: int) -> int | None:
    """``count`` when it may be published, else None."""
    if count is None or is_small(count, threshold):
        return None
    return count


def safe_rate(part: int | None, whole: int | None, threshold: int,
              digits: int = 4) -> float | None:
    """``part / whole`` rounded, unless the part, its complement or the whole is small."""
    if part is None or whole is None or whole <= 0:
        return None
    if is_small(whole, threshold) or is_small(part, threshold) \
            or is_small(whole - part, threshold):
        return None
    return round(part / whole, digits)


def percentile(histogram: Mapping[int, int], fraction: float) -> int:
    """The smallest value whose cumulative share reaches ``fraction`` (SQL percentile_disc)."""
    n = sum(histogram.values())
    if n <= 0:
        raise ValueError("percentile of an empty histogram")
    rank = max(1, math.ceil(fraction * n))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def typical_range(histogram: Mapping[int, int], threshold: int, low: float = 0.05,
                  high: float = 0.95) -> tuple[int, int] | None:
    """Robust range (5th to 95th percentile by default) over at least ``threshold`` people."""
    n = sum(histogram.values())
    if n < threshold or n == 0:
        return None
    return percentile(histogram, low), percentile(histogram, high)
