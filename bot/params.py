"""Typed command parameters: how a raw string a user typed becomes a validated value.

A parameter is declared once on its command; the same declaration drives text parsing, Slack and
Discord option types, form questions and the usage line in help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from functools import cache
from keyword import iskeyword
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, available_timezones

from bot.mentions import defuse_mentions
from bot.timeparse import (
    DATE_FORMS,
    DURATION_FORMS,
    DateParseError,
    Direction,
    DurationParseError,
    parse_clock_time,
    parse_date,
    parse_duration_minutes,
    parse_weekdays,
)


class Kind(StrEnum):
    """The value types a parameter can have."""

    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    DURATION = "duration"
    CHOICE = "choice"
    URL = "url"
    MEMBER = "member"
    TIMEZONE = "timezone"
    TIME = "time"
    WEEKDAYS = "weekdays"


class ParamError(ValueError):
    """A value does not fit its parameter; the message names the parameter and the right form."""


@dataclass(frozen=True)
class MemberRef:
    """A reference to a cohort mate as typed: ``@bob``, ``bob`` or a platform mention."""

    raw: str
    platform_id: str | None
    name: str | None


@dataclass(frozen=True)
class Param:
    """One declared parameter of a command."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    positional: bool = False
    rest: bool = False
    choices: tuple[str, ...] = ()
    default: Any = None
    direction: Direction = Direction.FUTURE
    max_length: int = 200
    blank: bool = True
    minimum: int | None = None
    maximum: int | None = None
    example: str = ""

    @property
    def key(self) -> str:
        """The Python identifier handlers read the value under (``follow-up`` -> ``follow_up``)."""
        key = self.name.replace("-", "_")
        return f"{key}_" if iskeyword(key) else key

    @property
    def metavar(self) -> str:
        if self.kind is Kind.CHOICE and len(self.choices) <= 4:
            return "|".join(self.choices)
        return self.name.upper().replace("-", "_")

    def usage(self) -> str:
        """How this parameter appears in a usage line."""
        if self.positional:
            shown = self.metavar + ("..." if self.rest else "")
            return shown if self.required else f"[{shown}]"
        shown = f"{self.name}={self.metavar}"
        return shown if self.required else f"[{shown}]"

    def convert(self, raw: str, *, today: date) -> Any:
        """Turn the raw text into this parameter's value, or raise ``ParamError``."""
        value = raw.strip()
        if value == "" and self.kind is not Kind.TEXT:
            raise ParamError(f"`{self.name}` needs a value, e.g. {self.name}={self.sample()}")
        try:
            return _CONVERTERS[self.kind](self, value, today)
        except ParamError:
            raise
        except (ValueError, DateParseError, DurationParseError) as exc:
            raise ParamError(f"`{self.name}`: {exc}. Try e.g. {self.name}={self.sample()}") from exc

    def sample(self) -> str:
        """A valid example value, used in error messages."""
        if self.example:
            return self.example
        return {
            Kind.TEXT: '"some text"',
            Kind.INTEGER: str(self._integer_sample()),
            Kind.DATE: "2026-12-01 (or today, fri, in 3 days)",
            Kind.DURATION: "45m (or 1.5h)",
            Kind.CHOICE: self.choices[0] if self.choices else "",
            Kind.URL: "https://example.com/jobs/123",
            Kind.MEMBER: "@bob",
            Kind.TIMEZONE: "Europe/Berlin",
            Kind.TIME: "09:00",
            Kind.WEEKDAYS: "mon-fri",
        }[self.kind]

    def _integer_sample(self) -> int:
        if self.minimum is not None:
            return self.minimum
        return min(3, self.maximum) if self.maximum is not None else 3


def normalize_choice(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def _text(p: Param, v: str, _today: date) -> str:
    if not v and not p.blank:
        raise ParamError(f"`{p.name}` can't be empty, e.g. {p.name}={p.sample()}")
    safe = defuse_mentions(v)
    if len(safe) > p.max_length:
        raise ParamError(f"`{p.name}` is {len(safe)} characters long; the limit is {p.max_length}")
    return safe


def _integer(p: Param, v: str, _today: date) -> int:
    if not re.fullmatch(r"-?\d{1,9}", v):
        raise ParamError(f"`{p.name}` must be a whole number, e.g. {p.name}={p.sample()}")
    n = int(v)
    if p.minimum is not None and n < p.minimum:
        raise ParamError(f"`{p.name}` must be at least {p.minimum}")
    if p.maximum is not None and n > p.maximum:
        raise ParamError(f"`{p.name}` must be at most {p.maximum}")
    return n


def _date(p: Param, v: str, today: date) -> date:
    try:
        return parse_date(v, today, p.direction)
    except DateParseError as exc:
        raise ParamError(f"`{p.name}`: {exc}. Use {DATE_FORMS}") from exc


def _duration(p: Param, v: str, _today: date) -> int:
    try:
        return parse_duration_minutes(v)
    except DurationParseError as exc:
        raise ParamError(f"`{p.name}`: {exc}. Use {DURATION_FORMS}") from exc


def _choice(p: Param, v: str, _today: date) -> str:
    wanted = normalize_choice(v)
    for choice in p.choices:
        if normalize_choice(choice) == wanted:
            return choice
    matches = [c for c in p.choices if normalize_choice(c).startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    raise ParamError(f"`{p.name}` must be one of {', '.join(p.choices)} (got `{v[:40]}`)")


def _url(p: Param, v: str, _today: date) -> str:
    parsed = urlparse(v)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in v or len(v) > 500:
        raise ParamError(f"`{p.name}` must be a web address starting with https://")
    return v


_SLACK_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_DISCORD_USER = re.compile(r"<@!?(\d+)>")


def _member(p: Param, v: str, _today: date) -> MemberRef:
    if m := _SLACK_USER.fullmatch(v):
        return MemberRef(v, m[1], m[2])
    if m := _DISCORD_USER.fullmatch(v):
        return MemberRef(v, m[1], None)
    name = v.lstrip("@").strip()
    if not name or len(name) > 80 or re.search(r"[<>]", name):
        raise ParamError(f"`{p.name}` must name a cohort mate, e.g. @bob")
    return MemberRef(v, None, name)


@cache
def _zones() -> dict[str, str]:
    return {z.lower(): z for z in available_timezones()}


def _timezone(p: Param, v: str, _today: date) -> str:
    zone = _zones().get(v.lower())
    if zone is None:
        raise ParamError(
            f"`{p.name}`: `{v[:60]}` is not a time zone I know. Use a name from the tz database, "
            "e.g. Europe/Berlin, America/New_York or UTC"
        )
    ZoneInfo(zone)
    return zone


def _time(p: Param, v: str, _today: date) -> time:
    return parse_clock_time(v)


def _weekdays(p: Param, v: str, _today: date) -> tuple[int, ...]:
    return parse_weekdays(v)


_CONVERTERS = {
    Kind.TEXT: _text,
    Kind.INTEGER: _integer,
    Kind.DATE: _date,
    Kind.DURATION: _duration,
    Kind.CHOICE: _choice,
    Kind.URL: _url,
    Kind.MEMBER: _member,
    Kind.TIMEZONE: _timezone,
    Kind.TIME: _time,
    Kind.WEEKDAYS: _weekdays,
}
