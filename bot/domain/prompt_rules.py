"""Which prompts are due, for whom, between two instants: pure rules over cohort and member rows.

Every prompt has an idempotency key (kind, recipient, local day or week), a due instant computed
from the recipient's own wall clock, and an expiry after which it is no longer worth sending
(a standup is useless tomorrow). Planning the same window twice yields the same keys, so the
outbox ignores the repeat.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.calendar import local_today, week_start
from storage.models import Cohort, Member


class Kind(StrEnum):
    """The prompt kinds, and whether each goes to a member, the channel or the coaches."""

    STANDUP = "standup"
    FOLLOWUPS = "followups"
    REMINDER = "reminder"
    RETRO = "retro"
    SUMMARY = "summary"
    RETRO_SUMMARY = "retro_summary"
    LEADERBOARD = "leaderboard"
    DIGEST = "digest"
    BLOCKER = "blocker"
    JOIN_REQUEST = "join_request"  # to each coach: someone asks to join (join=approval)
    JOIN_APPROVED = "join_approved"  # to the member a coach let in


CHANNEL_KINDS = frozenset({Kind.SUMMARY, Kind.RETRO_SUMMARY, Kind.LEADERBOARD})
WEEKLY_KINDS = frozenset({Kind.RETRO, Kind.RETRO_SUMMARY, Kind.LEADERBOARD, Kind.DIGEST})
MEMBER_DAILY = (Kind.STANDUP, Kind.FOLLOWUPS, Kind.REMINDER)

LEADERBOARD_AT = time(9, 0)  # Monday, cohort time: last week's final standings
DIGEST_AT = time(8, 0)  # Monday, each coach's own time
RETRO_SUMMARY_DELAY = timedelta(hours=3)  # after the retro prompt, cohort time


@dataclass(frozen=True)
class Planned:
    """One prompt to write into the outbox."""

    kind: Kind
    cohort_id: int
    member_id: int | None
    local_day: date
    due_at: datetime
    expires_at: datetime

    @property
    def key(self) -> str:
        who = f"m{self.member_id}" if self.member_id is not None else f"c{self.cohort_id}"
        day = week_start(self.local_day) if self.kind in WEEKLY_KINDS else self.local_day
        return f"{self.kind.value}:{who}:{day.isoformat()}"


@dataclass(frozen=True)
class CohortFacts:
    """What planning needs to know about a cohort beyond its rows."""

    holidays: frozenset[date] = frozenset()
    answered: frozenset[tuple[int, date]] = frozenset()  # (member id, day): standup or skip


def standup_days(cohort: Cohort) -> frozenset[int]:
    return frozenset(int(d) for d in cohort.standup_days.split(",") if d != "")


def working_days(cohort: Cohort, latest: date, count: int, *, within: int = 31) -> list[date]:
    """The cohort's last ``count`` standup days up to and including ``latest``, newest first
    (Monday to Friday when it has none), looking back at most ``within`` days."""
    days_on = standup_days(cohort) or frozenset(range(5))
    found: list[date] = []
    day = latest
    while len(found) < count and day > latest - timedelta(days=within):
        if day.weekday() in days_on:
            found.append(day)
        day -= timedelta(days=1)
    return found


def at(day: date, clock: time, zone: str) -> datetime:
    """The instant ``clock`` strikes on ``day`` in ``zone`` (DST-aware)."""
    return datetime.combine(day, clock, ZoneInfo(zone))


def end_of_day(day: date, zone: str) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0, 0), ZoneInfo(zone))


def end_of_week(day: date, zone: str) -> datetime:
    return end_of_day(week_start(day) + timedelta(days=6), zone)


def receives_prompts(member: Member, day: date) -> bool:
    """Members searching for a job, not paused that day, and who joined before that day."""
    return why_no_prompts(member, day) is None


def why_no_prompts(member: Member, day: date) -> str | None:
    """Why ``member`` gets no prompts on ``day`` (short words for a coach), or None if they do."""
    if member.role != "member":
        return "a coach"
    if member.status == "hired":
        return "hired"
    if member.unreachable_since:
        return "can't be messaged"
    if member.status == "paused" and (member.paused_until is None or day <= member.paused_until):
        return "paused"
    if local_today(member.joined_at, member.timezone) >= day:
        return "joined today: starts the next day"
    return None


def _days(since: datetime, now: datetime, zone: str) -> list[date]:
    first, last = local_today(since, zone), local_today(now, zone)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def plan_cohort(
    cohort: Cohort,
    members: Iterable[Member],
    since: datetime,
    now: datetime,
    facts: CohortFacts | None = None,
) -> list[Planned]:
    """Every prompt of ``cohort`` due in (since, now] and not yet expired at ``now``."""
    found = [
        p
        for p in _candidates(cohort, list(members), since, now, facts or CohortFacts())
        if since < p.due_at <= now < p.expires_at
    ]
    return sorted(found, key=lambda p: (p.due_at, p.key))


def _candidates(
    cohort: Cohort, members: list[Member], since: datetime, now: datetime, facts: CohortFacts
) -> Iterator[Planned]:
    days_on = standup_days(cohort)
    for member in members:
        zone = member.timezone
        for day in _days(since, now, zone):
            if day in facts.holidays:
                continue
            if member.role == "coach":
                if day.weekday() == 0:
                    yield Planned(
                        Kind.DIGEST,
                        cohort.id,
                        member.id,
                        day,
                        at(day, DIGEST_AT, zone),
                        end_of_day(day, zone),
                    )
                continue
            if not receives_prompts(member, day):
                continue
            if day.weekday() in days_on:
                standup_at = at(day, cohort.standup_time, zone)
                expires = end_of_day(day, zone)
                yield Planned(Kind.STANDUP, cohort.id, member.id, day, standup_at, expires)
                yield Planned(Kind.FOLLOWUPS, cohort.id, member.id, day, standup_at, expires)
                if (member.id, day) not in facts.answered:
                    yield Planned(
                        Kind.REMINDER,
                        cohort.id,
                        member.id,
                        day,
                        at(day, cohort.reminder_time, zone),
                        expires,
                    )
            if day.weekday() == cohort.retro_day:
                yield Planned(
                    Kind.RETRO,
                    cohort.id,
                    member.id,
                    day,
                    at(day, cohort.retro_time, zone),
                    end_of_week(day, zone),
                )
    zone = cohort.timezone
    for day in _days(since, now, zone):
        if day in facts.holidays:
            continue
        if day.weekday() in days_on:
            yield Planned(
                Kind.SUMMARY,
                cohort.id,
                None,
                day,
                at(day, cohort.summary_time, zone),
                end_of_day(day, zone),
            )
        if day.weekday() == cohort.retro_day:
            due = at(day, cohort.retro_time, zone) + RETRO_SUMMARY_DELAY
            yield Planned(Kind.RETRO_SUMMARY, cohort.id, None, day, due, end_of_week(day, zone))
        if day.weekday() == 0:
            yield Planned(
                Kind.LEADERBOARD,
                cohort.id,
                None,
                day,
                at(day, LEADERBOARD_AT, zone),
                end_of_day(day, zone),
            )


def schedule_lines(cohort: Cohort) -> list[tuple[str, str]]:
    """The cohort's schedule in words, for `/cohort schedule`."""
    from bot.timeparse import WEEKDAYS, format_weekdays

    days = format_weekdays(tuple(sorted(standup_days(cohort))))
    retro_day = WEEKDAYS[cohort.retro_day]
    summary_retro = (datetime.combine(date.min, cohort.retro_time) + RETRO_SUMMARY_DELAY).time()
    hhmm = "%H:%M"
    return [
        ("Standup (DM)", f"{days} at {cohort.standup_time:{hhmm}}, each member's own time"),
        ("Follow-up reminders (DM)", "with the standup, when something is due"),
        ("Standup reminder (DM)", f"{days} at {cohort.reminder_time:{hhmm}}, if not answered"),
        ("Standup summary (channel)", f"{days} at {cohort.summary_time:{hhmm}} {cohort.timezone}"),
        ("Retro (DM)", f"{retro_day} at {cohort.retro_time:{hhmm}}, each member's own time"),
        ("Retro summary (channel)", f"{retro_day} at {summary_retro:{hhmm}} {cohort.timezone}"),
        ("Leaderboard (channel)", f"mon at {LEADERBOARD_AT:{hhmm}} {cohort.timezone}"),
        ("Coach digest (DM)", f"mon at {DIGEST_AT:{hhmm}}, each coach's own time"),
    ]
