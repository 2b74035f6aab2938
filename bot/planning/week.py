"""The planned job-search week: a 40-hour template across the six categories, and plan vs actual.

Blocks are (weekday, category, start, minutes); Monday is weekday 0 like ``date.weekday()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time

from bot.domain.vocab import CATEGORIES

# One working day of the template: 8 hours with a lunch break, coding first (2-4 h a day).
TEMPLATE_DAY: tuple[tuple[str, time, int], ...] = (
    ("coding", time(9, 0), 120),
    ("outreach", time(11, 0), 90),
    ("research", time(13, 30), 90),
    ("interview-prep", time(15, 0), 90),
    ("housekeeping", time(16, 30), 60),
    ("other", time(17, 30), 30),
)
TEMPLATE_WEEKDAYS = (0, 1, 2, 3, 4)
MAX_DAY_MINUTES = 16 * 60


@dataclass(frozen=True)
class Block:
    """Planned minutes of one category on one weekday, starting at a local wall-clock time."""

    weekday: int
    category: str
    start: time
    minutes: int

    @property
    def end_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute + self.minutes


def template() -> list[Block]:
    """The default 40-hour week: eight hours Monday to Friday."""
    return [
        Block(weekday, category, start, minutes)
        for weekday in TEMPLATE_WEEKDAYS
        for category, start, minutes in TEMPLATE_DAY
    ]


def template_start(category: str) -> time:
    return next(start for c, start, _ in TEMPLATE_DAY if c == category)


def next_free_start(blocks: Iterable[Block], weekday: int, category: str) -> time:
    """Where a new block goes: the template's slot if it is free, else after the day's last."""
    day = [b for b in blocks if b.weekday == weekday]
    wanted = template_start(category)
    wanted_min = wanted.hour * 60 + wanted.minute
    if all(b.end_minute <= wanted_min or b.start >= wanted for b in day):
        return wanted
    end = max(b.end_minute for b in day)
    end = min(end, 23 * 60 + 59)
    return time(end // 60, end % 60)


def minutes_by_category(blocks: Iterable[Block]) -> dict[str, int]:
    """Planned minutes per category over the whole week."""
    totals = dict.fromkeys(CATEGORIES, 0)
    for b in blocks:
        totals[b.category] = totals.get(b.category, 0) + b.minutes
    return totals


def minutes_by_day(blocks: Iterable[Block]) -> dict[int, int]:
    totals = dict.fromkeys(range(7), 0)
    for b in blocks:
        totals[b.weekday] += b.minutes
    return totals


@dataclass(frozen=True)
class CategoryComparison:
    category: str
    planned: int
    actual: int

    @property
    def gap(self) -> int:
        """Minutes still missing against the plan (negative: ahead of it)."""
        return self.planned - self.actual


def compare(planned: Mapping[str, int], actual: Mapping[str, int]) -> list[CategoryComparison]:
    """Plan vs actual minutes per category, in the vocabulary's order."""
    return [
        CategoryComparison(c, planned.get(c, 0), actual.get(c, 0))
        for c in CATEGORIES
        if planned.get(c, 0) or actual.get(c, 0)
    ]


def behind_plan(comparisons: Iterable[CategoryComparison]) -> list[CategoryComparison]:
    """Categories at least an hour short of the plan."""
    return [c for c in comparisons if c.gap >= 60]
