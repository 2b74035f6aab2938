"""Local time: a member's "today" and "this week" are computed in their own time zone.

Weeks start on Monday (ISO), so a week is identified by its Monday.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def local_now(now: datetime, tz: str) -> datetime:
    """The wall-clock time in ``tz`` at the UTC instant ``now``."""
    return now.astimezone(ZoneInfo(tz))


def local_today(now: datetime, tz: str) -> date:
    """The calendar date in ``tz`` at the UTC instant ``now``."""
    return local_now(now, tz).date()


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def days_between(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def week_label(start: date) -> str:
    """``2026-11-23`` -> ``Nov 23-29`` (or across months, ``Nov 30-Dec 6``)."""
    end = start + timedelta(days=6)
    if start.month == end.month:
        return f"{start:%b} {start.day}-{end.day}"
    return f"{start:%b} {start.day}-{end:%b} {end.day}"
