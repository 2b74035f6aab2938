"""Parsing of the dates and durations people type: ISO dates, `today`, `fri`, `in 3 days`, `1.5h`.

Dates are resolved against the member's own local "today", never the server's.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from enum import StrEnum

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{
        full: i
        for i, full in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "wednes": 2,
    "thur": 3,
    "thurs": 3,
}

DATE_FORMS = (
    "YYYY-MM-DD, today, tomorrow, yesterday, a weekday (fri), in 3 days, 2 days ago, "
    "last week, this week or next week"
)


class Direction(StrEnum):
    """Which way a bare weekday points: a follow-up date looks ahead, a log date looks back."""

    FUTURE = "future"
    PAST = "past"


class DateParseError(ValueError):
    """The text is not a date form we understand."""


def parse_date(text: str, today: date, direction: Direction = Direction.FUTURE) -> date:
    """Parse ``text`` as a date relative to ``today`` (the member's local date)."""
    raw = text.strip().lower()
    if not raw:
        raise DateParseError("empty date")
    if raw == "today":
        return today
    if raw in ("tomorrow", "tmrw"):
        return today + timedelta(days=1)
    if raw == "yesterday":
        return today - timedelta(days=1)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise DateParseError(f"{text} is not a real calendar date") from exc
    if m := re.fullmatch(r"in (\d{1,3}) (day|days|week|weeks)", raw):
        return today + _span(int(m[1]), m[2])
    if m := re.fullmatch(r"(\d{1,3}) (day|days|week|weeks) ago", raw):
        return today - _span(int(m[1]), m[2])
    if m := re.fullmatch(r"(next|last|this)?\s*([a-z]+)", raw):
        qualifier, word = m[1], m[2]
        if word in _WEEKDAY_NAMES:
            return _weekday(today, _WEEKDAY_NAMES[word], qualifier, direction)
        if word == "week" and qualifier is not None:  # that week's Monday
            monday = today - timedelta(days=today.weekday())
            return monday + timedelta(days={"last": -7, "this": 0, "next": 7}[qualifier])
    raise DateParseError(f"`{text}` is not a date I understand")


def _span(n: int, unit: str) -> timedelta:
    return timedelta(weeks=n) if unit.startswith("week") else timedelta(days=n)


def _weekday(today: date, target: int, qualifier: str | None, direction: Direction) -> date:
    ahead = (target - today.weekday()) % 7
    behind = (today.weekday() - target) % 7
    if qualifier == "next":
        return today + timedelta(days=ahead or 7)
    if qualifier == "last":
        return today - timedelta(days=behind or 7)
    if qualifier == "this":
        return today + timedelta(days=target - today.weekday())
    if direction is Direction.PAST:
        return today - timedelta(days=behind)
    return today + timedelta(days=ahead)


class DurationParseError(ValueError):
    """The text is not a duration we understand."""


DURATION_FORMS = "45m, 1.5h or 1h30m"
_DURATION = re.compile(
    r"(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<m>\d+)\s*(?:m|min|mins|minute|minutes))?"
)


class BareNumber(DurationParseError):
    """A number without a unit where a duration is typed: 2 hours or 2 minutes?"""

    def __init__(self, number: str) -> None:
        super().__init__(f"{number} what? Say {number}h or {number}m")
        self.number = number


def parse_typed_duration(text: str) -> int:
    """A duration a member types: ``45m``, ``1.5h``, ``1h30m``; a bare number is refused
    (``BareNumber``), since ``2`` could mean two minutes or two hours."""
    raw = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", raw) and float(raw) > 0:
        raise BareNumber(raw)
    return parse_duration_minutes(raw)


def parse_duration_minutes(text: str) -> int:
    """Parse a duration such as ``45m``, ``1.5h``, ``1h30m`` or a bare number of minutes (only
    where the unit is known, e.g. a tracker column named "minutes"; members' typed durations go
    through ``parse_typed_duration``)."""
    raw = text.strip().lower()
    if re.fullmatch(r"\d+", raw):
        minutes = int(raw)
    else:
        m = _DURATION.fullmatch(raw)
        if not raw or not m or not (m["h"] or m["m"]):
            raise DurationParseError(f"`{text}` is not a duration I understand")
        minutes = round(float(m["h"] or 0) * 60) + int(m["m"] or 0)
    if minutes <= 0:
        raise DurationParseError("a duration must be more than zero minutes")
    if minutes > 24 * 60:
        raise DurationParseError("a duration can be at most 24 hours in one log")
    return minutes


def format_minutes(minutes: int) -> str:
    """``95`` -> ``1h 35m``; ``60`` -> ``1h``; ``45`` -> ``45m``."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours}h {rest}m"
    return f"{hours}h" if hours else f"{rest}m"


def parse_clock_time(text: str) -> time:
    """Parse ``09:00``, ``9:30``, ``9am`` or ``4pm`` as a wall-clock time."""
    raw = text.strip().lower()
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})", raw):
        hour, minute = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)", raw):
        hour, minute = int(m[1]) % 12 + (12 if m[3] == "pm" else 0), int(m[2] or 0)
        if int(m[1]) > 12 or int(m[1]) == 0:
            raise ValueError(f"`{text}` is not a time of day")
    else:
        raise ValueError(f"`{text}` is not a time of day")
    if hour > 23 or minute > 59:
        raise ValueError(f"`{text}` is not a time of day")
    return time(hour, minute)


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Parse ``mon-fri``, ``mon,wed,fri`` or ``weekdays`` into sorted weekday numbers."""
    raw = text.strip().lower().replace(" ", "")
    if raw in ("weekdays", "workdays"):
        return (0, 1, 2, 3, 4)
    if raw in ("daily", "everyday", "all"):
        return tuple(range(7))
    days: set[int] = set()
    for part in raw.split(","):
        if "-" in part:
            start, _, end = part.partition("-")
            a, b = _day(start, text), _day(end, text)
            days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            days.add(_day(part, text))
    return tuple(sorted(days))


def _day(word: str, whole: str) -> int:
    if word not in _WEEKDAY_NAMES:
        raise ValueError(f"`{whole}` is not a list of weekdays")
    return _WEEKDAY_NAMES[word]


def format_weekdays(days: tuple[int, ...]) -> str:
    """``(0,1,2,3,4)`` -> ``mon-fri``; otherwise a comma list."""
    if days and list(days) == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
    return ",".join(WEEKDAYS[d] for d in days)
