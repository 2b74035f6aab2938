"""Tests for bot.domain.calendar: local dates in members' own time zones and ISO weeks."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bot.domain.calendar import (
    days_between,
    local_now,
    local_today,
    week_label,
    week_start,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_same_instant_is_different_days_around_the_world() -> None:
    instant = utc(2026, 1, 15, 7, 59)
    assert local_today(instant, "America/Los_Angeles") == date(2026, 1, 14)
    assert local_today(instant, "UTC") == date(2026, 1, 15)
    assert local_today(instant, "Asia/Tokyo") == date(2026, 1, 15)


@pytest.mark.parametrize(
    ("instant", "tz", "day"),
    [
        (utc(2026, 1, 15, 7, 59), "America/Los_Angeles", date(2026, 1, 14)),  # 23:59 PST
        (utc(2026, 1, 15, 8, 0), "America/Los_Angeles", date(2026, 1, 15)),  # 00:00 PST
        (utc(2026, 7, 15, 6, 59), "America/Los_Angeles", date(2026, 7, 14)),  # 23:59 PDT
        (utc(2026, 7, 15, 7, 0), "America/Los_Angeles", date(2026, 7, 15)),  # 00:00 PDT
        (utc(2026, 1, 15, 14, 59), "Asia/Tokyo", date(2026, 1, 15)),  # 23:59 JST
        (utc(2026, 1, 15, 15, 0), "Asia/Tokyo", date(2026, 1, 16)),  # 00:00 JST
    ],
)
def test_local_today_flips_at_local_midnight(instant: datetime, tz: str, day: date) -> None:
    assert local_today(instant, tz) == day


def test_local_today_accepts_any_aware_instant() -> None:
    instant = datetime(2026, 1, 16, 0, 30, tzinfo=timezone(timedelta(hours=9)))
    assert local_today(instant, "America/Los_Angeles") == date(2026, 1, 15)


def test_berlin_spring_forward_day_is_23_hours() -> None:
    tz = "Europe/Berlin"
    assert local_now(utc(2026, 3, 29, 0, 59), tz).hour == 1  # 01:59 CET
    assert local_now(utc(2026, 3, 29, 1, 0), tz).hour == 3  # 03:00 CEST
    assert local_today(utc(2026, 3, 28, 22, 59), tz) == date(2026, 3, 28)
    assert local_today(utc(2026, 3, 28, 23, 0), tz) == date(2026, 3, 29)
    assert local_today(utc(2026, 3, 29, 21, 59), tz) == date(2026, 3, 29)
    assert local_today(utc(2026, 3, 29, 22, 0), tz) == date(2026, 3, 30)


def test_new_york_fall_back_day_is_25_hours() -> None:
    tz = "America/New_York"
    assert local_now(utc(2026, 11, 1, 5, 59), tz).utcoffset() == timedelta(hours=-4)
    assert local_now(utc(2026, 11, 1, 6, 0), tz).utcoffset() == timedelta(hours=-5)
    assert local_today(utc(2026, 11, 1, 3, 59), tz) == date(2026, 10, 31)
    assert local_today(utc(2026, 11, 1, 4, 0), tz) == date(2026, 11, 1)
    assert local_today(utc(2026, 11, 2, 4, 30), tz) == date(2026, 11, 1)  # 23:30 EST
    assert local_today(utc(2026, 11, 2, 5, 0), tz) == date(2026, 11, 2)


def test_local_now_is_the_same_instant() -> None:
    instant = utc(2026, 6, 1, 12, 0)
    local = local_now(instant, "Asia/Tokyo")
    assert local == instant
    assert (local.hour, str(local.tzinfo)) == (21, "Asia/Tokyo")


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 11, 23), date(2026, 11, 23)),  # Monday itself
        (date(2026, 11, 25), date(2026, 11, 23)),
        (date(2026, 11, 29), date(2026, 11, 23)),  # Sunday ends the ISO week
        (date(2026, 11, 30), date(2026, 11, 30)),
        (date(2026, 3, 1), date(2026, 2, 23)),  # across a month
        (date(2027, 1, 2), date(2026, 12, 28)),  # across a year
    ],
)
def test_week_start(day: date, monday: date) -> None:
    assert week_start(day) == monday
    assert week_start(day).weekday() == 0


@pytest.mark.parametrize(
    ("start", "label"),
    [
        (date(2026, 11, 23), "Nov 23-29"),
        (date(2026, 11, 30), "Nov 30-Dec 6"),
        (date(2026, 2, 23), "Feb 23-Mar 1"),
        (date(2026, 12, 28), "Dec 28-Jan 3"),
        (date(2026, 3, 2), "Mar 2-8"),
    ],
)
def test_week_label(start: date, label: str) -> None:
    assert week_label(start) == label


def test_days_between_is_inclusive() -> None:
    assert list(days_between(date(2026, 2, 27), date(2026, 3, 2))) == [
        date(2026, 2, 27),
        date(2026, 2, 28),
        date(2026, 3, 1),
        date(2026, 3, 2),
    ]
    assert list(days_between(date(2026, 3, 2), date(2026, 3, 2))) == [date(2026, 3, 2)]
    assert list(days_between(date(2026, 3, 2), date(2026, 3, 1))) == []
