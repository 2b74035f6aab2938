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
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, available_timezones

from bot.mentions import clean_text
from bot.platform import MentionSyntax
from bot.replies import t

if TYPE_CHECKING:
    from bot.entities import Ref
from bot.timeparse import (
    DATE_FORMS,
    DURATION_FORMS,
    BareNumber,
    DateParseError,
    Direction,
    DurationParseError,
    parse_clock_time,
    parse_date,
    parse_typed_duration,
    parse_weekdays,
)

NO_MENTIONS = MentionSyntax()


class Kind(StrEnum):
    """The value types a parameter can have."""

    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    DURATION = "duration"
    CHOICE = "choice"
    URL = "url"
    MEMBER = "member"
    CHANNEL = "channel"
    REF = "ref"  # one of the caller's rows by its id (A12): see bot.entities
    COMMAND = "command"  # a command's name, as /help takes it
    TIMEZONE = "timezone"
    TIME = "time"
    WEEKDAYS = "weekdays"


class ParamError(ValueError):
    """A value does not fit its parameter; the message names the parameter and the right form.

    Built like ``bot.replies.t``: the template marks code, ``values`` (what the user typed)
    stay plain. ``str()`` is the message as the console shows it.
    """

    def __init__(self, template: str, **values: str) -> None:
        super().__init__(template.format(**values))
        self.text = t(template, **values)


@dataclass(frozen=True)
class Conversion:
    """What converting a value may depend on: the member's local date and the platform's syntax."""

    today: date
    mentions: MentionSyntax = NO_MENTIONS


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
    ref: Ref | None = None  # for Kind.REF: which rows it may name (bot.entities.ref builds it)

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

    def python_type(self) -> Any:
        """The type a handler receives this parameter's value as."""
        if self.kind is Kind.REF:
            assert self.ref is not None, f"{self.name}: build reference parameters with ref()"
            return self.ref.python_type()
        return PYTHON_TYPES[self.kind]

    @property
    def completes(self) -> bool:
        """Whether a platform should offer suggestions while it is typed (autocomplete)."""
        return self.kind in (Kind.REF, Kind.TIMEZONE, Kind.COMMAND) or len(self.choices) > 25

    def usage(self) -> str:
        """How this parameter appears in a usage line."""
        if self.positional:
            shown = self.metavar + ("..." if self.rest else "")
            return shown if self.required else f"[{shown}]"
        shown = f"{self.name}={self.metavar}"
        return shown if self.required else f"[{shown}]"

    def convert(self, raw: str, *, today: date, mentions: MentionSyntax | None = None) -> Any:
        """Turn the raw text into this parameter's value, or raise ``ParamError``."""
        value = raw.strip()
        if value == "" and self.kind is not Kind.TEXT:
            raise ParamError("`{name}` needs a value, e.g. {example}", **self._example())
        if self.kind is Kind.REF:
            raise TypeError("a reference is resolved against the database: Ref.resolve")
        how = Conversion(today, mentions or NO_MENTIONS)
        try:
            return _CONVERTERS[self.kind](self, value, how)
        except ParamError:
            raise
        except (ValueError, DateParseError, DurationParseError) as exc:
            raise ParamError(
                "`{name}`: {problem}. Try e.g. {example}", problem=str(exc), **self._example()
            ) from exc

    def _example(self) -> dict[str, str]:
        return {"name": self.name, "example": f"{self.name}={self.sample()}"}

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
            Kind.CHANNEL: "#job-search",
            Kind.REF: "A1",
            Kind.COMMAND: "apply",
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


def _text(p: Param, v: str, _how: Conversion) -> str:
    if not v and not p.blank:
        raise ParamError("`{name}` can't be empty, e.g. {example}", **p._example())
    safe = clean_text(v)
    if len(safe) > p.max_length:
        raise ParamError(
            "`{name}` is {length} characters long; the limit is {limit}",
            name=p.name,
            length=str(len(safe)),
            limit=str(p.max_length),
        )
    return safe


def _integer(p: Param, v: str, _how: Conversion) -> int:
    if not re.fullmatch(r"-?\d{1,9}", v):
        raise ParamError("`{name}` must be a whole number, e.g. {example}", **p._example())
    n = int(v)
    if p.minimum is not None and n < p.minimum:
        raise ParamError("`{name}` must be at least {limit}", name=p.name, limit=str(p.minimum))
    if p.maximum is not None and n > p.maximum:
        raise ParamError("`{name}` must be at most {limit}", name=p.name, limit=str(p.maximum))
    return n


def _date(p: Param, v: str, how: Conversion) -> date:
    try:
        return parse_date(v, how.today, p.direction)
    except DateParseError as exc:
        raise ParamError(
            "`{name}`: {problem}. Use {forms}", name=p.name, problem=str(exc), forms=DATE_FORMS
        ) from exc


def _duration(p: Param, v: str, _how: Conversion) -> int:
    try:
        return parse_typed_duration(v)
    except BareNumber as exc:
        raise ParamError(
            "`{name}`: {number} what? Say `{hours}` or `{minutes}`",
            name=p.name,
            number=exc.number,
            hours=f"{exc.number}h",
            minutes=f"{exc.number}m",
        ) from exc
    except DurationParseError as exc:
        raise ParamError(
            "`{name}`: {problem}. Use {forms}", name=p.name, problem=str(exc), forms=DURATION_FORMS
        ) from exc


def _choice(p: Param, v: str, _how: Conversion) -> str:
    wanted = normalize_choice(v)
    for choice in p.choices:
        if normalize_choice(choice) == wanted:
            return choice
    matches = [c for c in p.choices if normalize_choice(c).startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    raise ParamError(
        "`{name}` must be one of {choices} (got `{got}`)",
        name=p.name,
        choices=", ".join(p.choices),
        got=v[:40],
    )


def _url(p: Param, v: str, _how: Conversion) -> str:
    parsed = urlparse(v)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in v or len(v) > 500:
        raise ParamError("`{name}` must be a web address starting with https://", name=p.name)
    return v


def _member(p: Param, v: str, how: Conversion) -> MemberRef:
    """A platform mention (as the platform's syntax writes it) or a name, ``@`` optional."""
    if mention := how.mentions.parse_user(v):
        return MemberRef(v, *mention)
    name = v.lstrip("@").strip()
    if not name or len(name) > 80 or re.search(r"[<>]", name):
        raise ParamError("`{name}` must name a cohort mate, e.g. @bob", name=p.name)
    return MemberRef(v, None, name)


_PLAIN_CHANNEL = re.compile(r"#?[\w.-]{1,64}")


def _channel(p: Param, v: str, how: Conversion) -> str:
    """A channel as the platform writes a reference to it (or its id); a plain name where the
    platform has no channel syntax (the console)."""
    if found := how.mentions.parse_channel(v):
        return found
    no_syntax = how.mentions.channel is None and how.mentions.channel_id is None
    if no_syntax and _PLAIN_CHANNEL.fullmatch(v):
        return v.lstrip("#")
    raise ParamError("`{name}` must be a channel, e.g. {example}", **p._example())


@cache
def _zones() -> dict[str, str]:
    return {z.lower(): z for z in available_timezones()}


def _timezone(p: Param, v: str, _how: Conversion) -> str:
    zone = _zones().get(v.lower())
    if zone is None:
        raise ParamError(
            "`{name}`: `{got}` is not a time zone I know. Use a name from the tz database, "
            "e.g. Europe/Berlin, America/New_York or UTC",
            name=p.name,
            got=v[:60],
        )
    ZoneInfo(zone)
    return zone


def _time(p: Param, v: str, _how: Conversion) -> time:
    return parse_clock_time(v)


def _weekdays(p: Param, v: str, _how: Conversion) -> tuple[int, ...]:
    return parse_weekdays(v)


PYTHON_TYPES: dict[Kind, Any] = {
    Kind.TEXT: str,
    Kind.INTEGER: int,
    Kind.DATE: date,
    Kind.DURATION: int,
    Kind.CHOICE: str,
    Kind.URL: str,
    Kind.MEMBER: MemberRef,
    Kind.CHANNEL: str,
    Kind.COMMAND: str,
    Kind.TIMEZONE: str,
    Kind.TIME: time,
    Kind.WEEKDAYS: tuple[int, ...],
}

_CONVERTERS = {
    Kind.TEXT: _text,
    Kind.INTEGER: _integer,
    Kind.DATE: _date,
    Kind.DURATION: _duration,
    Kind.CHOICE: _choice,
    Kind.URL: _url,
    Kind.MEMBER: _member,
    Kind.CHANNEL: _channel,
    Kind.COMMAND: _text,
    Kind.TIMEZONE: _timezone,
    Kind.TIME: _time,
    Kind.WEEKDAYS: _weekdays,
}
