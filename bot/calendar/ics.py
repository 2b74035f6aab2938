"""The planned week as an iCalendar file that Google Calendar, Outlook and Apple Calendar import.

Weekly blocks, the standup and the retro are recurring events anchored in the member's own time
zone (``DTSTART;TZID=...`` plus a ``VTIMEZONE``), so a DST change keeps them at the same local
time. UIDs are stable, so importing again or refreshing a subscription updates events instead of
duplicating them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.calendar.template import PlannedBlock
from bot.domain.vocab import CATEGORY_LABELS

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PRODID = "-//Offerbound//Job-search plan//EN"
STANDUP_MINUTES = 15
RETRO_MINUTES = 30


@dataclass(frozen=True)
class FollowUp:
    """A dated follow-up from the tracker (an application or a contact)."""

    uid: str
    day: date
    summary: str
    description: str = ""


@dataclass(frozen=True)
class Routine:
    """The check-ins in the member's own zone: standup days and time, retro day and time."""

    standup_time: time
    standup_days: tuple[int, ...]
    retro_day: int
    retro_time: time
    holidays: tuple[date, ...] = ()


def first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def build_calendar(
    *,
    owner: str,
    uid_domain: str,
    timezone: str,
    blocks: list[PlannedBlock],
    routine: Routine | None,
    followups: list[FollowUp],
    starting: date,
    now: datetime,
) -> bytes:
    """The whole calendar; recurring events start in the week of ``starting``."""
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Job search: {owner}")
    calendar.add("x-wr-timezone", timezone)
    calendar.add("x-published-ttl", "PT6H")
    monday = starting - timedelta(days=starting.weekday())

    def event(uid: str, summary: str, description: str = "") -> Event:
        item = Event()
        item.add("uid", f"{uid}@{uid_domain}")
        item.add("dtstamp", now)
        item.add("summary", summary)
        if description:
            item.add("description", description)
        return item

    for block in blocks:
        start = datetime.combine(first_on_or_after(monday, block.weekday), block.start, zone)
        label = CATEGORY_LABELS.get(block.category, block.category)
        item = event(
            f"block-{block.weekday}-{block.category}-{block.start:%H%M}",
            f"Job search: {label}",
            f"Planned {block.minutes} minutes of {label.lower()} (Offerbound week plan).",
        )
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(minutes=block.minutes))
        item.add("rrule", {"freq": "weekly", "byday": BYDAY[block.weekday]})
        item.add("categories", [label])
        item.add("transp", "OPAQUE")
        calendar.add_component(item)

    if routine is not None and routine.standup_days:
        first = min(
            first_on_or_after(monday, d) for d in routine.standup_days
        )  # the earliest standup day of the week
        start = datetime.combine(first, routine.standup_time, zone)
        item = event(
            "standup",
            "Standup check-in",
            "Answer the Offerbound check-in: yesterday, today, blockers (/standup).",
        )
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(minutes=STANDUP_MINUTES))
        item.add(
            "rrule", {"freq": "weekly", "byday": [BYDAY[d] for d in sorted(routine.standup_days)]}
        )
        skipped = [
            datetime.combine(day, routine.standup_time, zone)
            for day in sorted(routine.holidays)
            if day >= first and day.weekday() in routine.standup_days
        ]
        if skipped:
            item.add("exdate", skipped)  # cohort holidays: no standup
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)
    if routine is not None:
        start = datetime.combine(
            first_on_or_after(monday, routine.retro_day), routine.retro_time, zone
        )
        item = event(
            "retro",
            "Weekly retro",
            "What worked, what didn't, what to adjust next week (/retro).",
        )
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(minutes=RETRO_MINUTES))
        item.add("rrule", {"freq": "weekly", "byday": BYDAY[routine.retro_day]})
        calendar.add_component(item)

    for followup in followups:
        item = event(followup.uid, followup.summary, followup.description)
        item.add("dtstart", followup.day)
        item.add("dtend", followup.day + timedelta(days=1))
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)

    calendar.add_missing_timezones(first_date=date(monday.year - 1, 1, 1))
    ical: bytes = calendar.to_ical()
    return ical
