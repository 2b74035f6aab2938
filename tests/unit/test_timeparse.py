"""Tests for bot.timeparse: dates, durations, clock times and weekday sets as people type them."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timeparse import (
    BareNumber,
    DateParseError,
    Direction,
    DurationParseError,
    format_minutes,
    format_weekdays,
    parse_clock_time,
    parse_date,
    parse_duration_minutes,
    parse_typed_duration,
    parse_weekdays,
)

WED = date(2026, 3, 11)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", WED),
        ("  TODAY ", WED),
        ("tomorrow", date(2026, 3, 12)),
        ("tmrw", date(2026, 3, 12)),
        ("yesterday", date(2026, 3, 10)),
        ("2026-12-01", date(2026, 12, 1)),
        ("2026-3-5", date(2026, 3, 5)),
        ("2024-02-29", date(2024, 2, 29)),
        ("in 3 days", date(2026, 3, 14)),
        ("in 1 day", date(2026, 3, 12)),
        ("in 2 weeks", date(2026, 3, 25)),
        ("2 days ago", date(2026, 3, 9)),
        ("2 weeks ago", date(2026, 2, 25)),
        ("in 30 days", date(2026, 4, 10)),
        ("next week", date(2026, 3, 16)),
        ("last week", date(2026, 3, 2)),  # that week's Monday (issue 14: week="last week")
        ("this week", date(2026, 3, 9)),
        ("Last Week", date(2026, 3, 2)),
    ],
)
def test_parse_date_fixed_forms(text: str, expected: date) -> None:
    assert parse_date(text, WED) == expected
    assert parse_date(text, WED, Direction.PAST) == expected


@pytest.mark.parametrize(
    ("text", "future", "past"),
    [
        ("fri", date(2026, 3, 13), date(2026, 3, 6)),
        ("Friday", date(2026, 3, 13), date(2026, 3, 6)),
        ("mon", date(2026, 3, 16), date(2026, 3, 9)),
        ("tues", date(2026, 3, 17), date(2026, 3, 10)),
        ("thurs", date(2026, 3, 12), date(2026, 3, 5)),
        ("sun", date(2026, 3, 15), date(2026, 3, 8)),
        ("wed", WED, WED),  # today's own weekday is today in both directions
    ],
)
def test_bare_weekday_follows_direction(text: str, future: date, past: date) -> None:
    assert parse_date(text, WED, Direction.FUTURE) == future
    assert parse_date(text, WED, Direction.PAST) == past


def test_bare_weekday_defaults_to_future() -> None:
    assert parse_date("fri", WED) == date(2026, 3, 13)


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next fri", date(2026, 3, 13)),
        ("next wed", date(2026, 3, 18)),  # never today itself
        ("last fri", date(2026, 3, 6)),
        ("last wed", date(2026, 3, 4)),
        ("last thu", date(2026, 3, 5)),
    ],
)
def test_next_and_last_ignore_direction(text: str, expected: date, direction: Direction) -> None:
    assert parse_date(text, WED, direction) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2026-02-30",
        "2026-13-01",
        "2025-02-29",
        "someday",
        "next month",
        "in 3 months",
        "in 1000 days",
        "3 days",
        "01/02/2026",
        "fri 13",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_date(text, WED)


def test_impossible_calendar_date_says_so() -> None:
    with pytest.raises(DateParseError, match="not a real calendar date"):
        parse_date("2026-02-30", WED)


def test_date_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a date I understand"):
        parse_date("someday", WED)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45),
        ("45 min", 45),
        ("45 minutes", 45),
        ("1.5h", 90),
        ("1.5 hours", 90),
        ("2hrs", 120),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1 hour 5 mins", 65),
        ("90", 90),
        (" 90 ", 90),
        ("1H", 60),
        ("0.25h", 15),
        ("24h", 24 * 60),
        ("1440", 1440),
    ],
)
def test_parse_duration_minutes(text: str, minutes: int) -> None:
    assert parse_duration_minutes(text) == minutes


@pytest.mark.parametrize("text", ["0", "0m", "0h", "0.001h"])
def test_zero_duration_is_rejected(text: str) -> None:
    with pytest.raises(DurationParseError, match="more than zero"):
        parse_duration_minutes(text)


@pytest.mark.parametrize("text", ["25h", "1441", "24h1m", "2000m"])
def test_duration_over_a_day_is_rejected(text: str) -> None:
    with pytest.raises(DurationParseError, match="at most 24 hours"):
        parse_duration_minutes(text)


@pytest.mark.parametrize("text", ["", "   ", "garbage", "h", "m", "-5", "1.5", "1h30", "30s", "1d"])
def test_garbage_duration_is_rejected(text: str) -> None:
    with pytest.raises(DurationParseError):
        parse_duration_minutes(text)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0m"), (45, "45m"), (60, "1h"), (95, "1h 35m"), (120, "2h"), (1440, "24h")],
)
def test_format_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text


@given(st.integers(min_value=1, max_value=24 * 60))
def test_formatted_minutes_parse_back(minutes: int) -> None:
    assert parse_duration_minutes(format_minutes(minutes)) == minutes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9:30", time(9, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("9am", time(9, 0)),
        ("9 AM", time(9, 0)),
        ("4pm", time(16, 0)),
        ("4:15pm", time(16, 15)),
        ("12am", time(0, 0)),
        ("12:30am", time(0, 30)),
        ("12pm", time(12, 0)),
    ],
)
def test_parse_clock_time(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    "text", ["25:00", "24:00", "9:60", "0am", "13pm", "9", "9:5", "noon", "", "9:75pm"]
)
def test_parse_clock_time_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a time of day"):
        parse_clock_time(text)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", (0, 1, 2, 3, 4)),
        ("Mon-Fri", (0, 1, 2, 3, 4)),
        ("mon,wed,fri", (0, 2, 4)),
        ("fri, wed, mon", (0, 2, 4)),
        ("monday,tuesday", (0, 1)),
        ("fri-mon", (0, 4, 5, 6)),
        ("sat-sun", (5, 6)),
        ("wed-wed", (2,)),
        ("mon-tue,sat", (0, 1, 5)),
        ("mon,mon", (0,)),
        ("weekdays", (0, 1, 2, 3, 4)),
        ("workdays", (0, 1, 2, 3, 4)),
        ("daily", (0, 1, 2, 3, 4, 5, 6)),
    ],
)
def test_parse_weekdays(text: str, days: tuple[int, ...]) -> None:
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["garbage", "", "mon-", "mon,,fri", "mon-wed-fri", "funday"])
def test_parse_weekdays_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a list of weekdays"):
        parse_weekdays(text)


@pytest.mark.parametrize(
    ("days", "text"),
    [
        ((0, 1, 2, 3, 4), "mon-fri"),
        ((0, 1, 2), "mon-wed"),
        ((0, 1, 2, 3, 4, 5, 6), "mon-sun"),
        ((0, 1), "mon,tue"),
        ((0, 2, 4), "mon,wed,fri"),
        ((0, 4, 5, 6), "mon,fri,sat,sun"),
        ((3,), "thu"),
        ((), ""),
    ],
)
def test_format_weekdays(days: tuple[int, ...], text: str) -> None:
    assert format_weekdays(days) == text


@given(st.sets(st.integers(min_value=0, max_value=6), min_size=1))
def test_formatted_weekdays_parse_back(days: set[int]) -> None:
    ordered = tuple(sorted(days))
    assert parse_weekdays(format_weekdays(ordered)) == ordered


@pytest.mark.parametrize("text", ["2", "90", " 45 ", "1.5"])
def test_a_typed_bare_number_asks_for_a_unit(text: str) -> None:
    with pytest.raises(BareNumber, match=rf"{text.strip()} what\? Say {text.strip()}h or"):
        parse_typed_duration(text)


@pytest.mark.parametrize(("text", "minutes"), [("2h", 120), ("2m", 2), ("1h30m", 90)])
def test_a_typed_duration_with_a_unit(text: str, minutes: int) -> None:
    assert parse_typed_duration(text) == minutes
