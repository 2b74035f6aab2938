"""Practice streaks: consecutive local days of coding practice.

Rules (documented in the README):
- every calendar day counts; today does not break a streak until it is over;
- a missed day uses a streak freeze if the month still has one (the cohort sets how many per
  month), in the order the days happened; a frozen day keeps the streak but does not add to it;
- a day the member was paused neither counts nor breaks the streak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.domain.calendar import days_between, week_start


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    week_days: int
    freezes_used_this_month: int
    frozen_days: tuple[date, ...]
    practiced_today: bool


def _paused(day: date, pauses: Iterable[tuple[date, date]]) -> bool:
    return any(start <= day <= end for start, end in pauses)


def compute_streak(
    practice_days: Iterable[date],
    today: date,
    *,
    freezes_per_month: int = 0,
    pauses: Iterable[tuple[date, date]] = (),
) -> Streak:
    """Walk forward from the first practice day to today, applying the rules above."""
    days = {d for d in practice_days if d <= today}
    pause_list = list(pauses)
    monday = week_start(today)
    this_week = sum(1 for d in days if monday <= d <= today)
    if not days:
        return Streak(0, 0, this_week, 0, (), False)
    current = longest = 0
    used: dict[tuple[int, int], int] = {}
    frozen: list[date] = []
    for day in days_between(min(days), today):
        if day in days:
            current += 1
            longest = max(longest, current)
        elif day == today or _paused(day, pause_list):
            continue
        elif current > 0 and used.get((day.year, day.month), 0) < freezes_per_month:
            used[(day.year, day.month)] = used.get((day.year, day.month), 0) + 1
            frozen.append(day)
        else:
            current = 0
    return Streak(
        current=current,
        longest=longest,
        week_days=this_week,
        freezes_used_this_month=used.get((today.year, today.month), 0),
        frozen_days=tuple(frozen),
        practiced_today=today in days,
    )
