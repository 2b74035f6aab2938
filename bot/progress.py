"""Progress figures for one or many members: weekly totals in each member's own week, and streaks.

Shared by stats, report, leaderboard, the dashboard and the retro so they always agree. Many
members are read with one grouped query per kind, never one query per member.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.domain.calendar import local_today, week_start
from bot.domain.scoring import WeekTotals
from bot.domain.streaks import Streak, compute_streak
from storage.models import Cohort, Member
from storage.repository import TenantRepository


def effective_status(member: Member, today: date) -> str:
    """A pause ends by itself after its last day."""
    if member.status == "paused" and member.paused_until and member.paused_until < today:
        return "searching"
    return member.status


async def week_totals(
    repo: TenantRepository,
    members: Sequence[Member],
    now: datetime,
    *,
    weeks_back: int = 0,
    of_day: date | None = None,
) -> dict[int, WeekTotals]:
    """Totals for the week ``weeks_back`` weeks before each member's current local week.

    With ``of_day``, the week containing that day instead (the same for every member).
    """
    starts: dict[int, date] = {}
    for member in members:
        anchor = of_day or local_today(now, member.timezone)
        starts[member.id] = week_start(anchor) - timedelta(weeks=weeks_back)
    if not starts:
        return {}
    since, until = min(starts.values()), max(starts.values()) + timedelta(days=6)
    counts = await repo.daily_counts(starts.keys(), since, until)
    return {
        member_id: totals_by_week(counts, member_id, [start])[start]
        for member_id, start in starts.items()
    }


Counts = dict[str, dict[int, dict[date, int]]]


def totals_by_week(
    counts: Counts, member_id: int, mondays: Sequence[date]
) -> dict[date, WeekTotals]:
    """Bucket one member's daily counts (``repo.daily_counts``) into the weeks of ``mondays``.

    The one place that decides what a week's figures are: a practice day is any day with a
    practice row (GitHub days have 0 minutes), and practice minutes count as coding time.
    """
    result: dict[date, WeekTotals] = {}
    for monday in mondays:
        end = monday + timedelta(days=6)

        def within(kind: str, monday: date = monday, end: date = end) -> dict[date, int]:
            days = counts[kind].get(member_id, {})
            return {d: v for d, v in days.items() if monday <= d <= end}

        practice = within("practice")
        result[monday] = WeekTotals(
            applications=sum(within("applications").values()),
            outreach=sum(within("outreach").values()),
            practice_days=len(practice),
            practice_minutes=sum(practice.values()),
            hour_minutes=sum(within("hours").values()),
        )
    return result


async def member_weeks(
    repo: TenantRepository, member: Member, mondays: Sequence[date]
) -> dict[date, WeekTotals]:
    """One member's totals for several weeks, read with one grouped query per kind."""
    counts = await repo.daily_counts([member.id], min(mondays), max(mondays) + timedelta(days=6))
    return totals_by_week(counts, member.id, mondays)


async def streaks(
    repo: TenantRepository,
    members: Sequence[Member],
    now: datetime,
    freezes_per_month: int,
) -> dict[int, Streak]:
    """Each member's practice streak, computed on their own local calendar."""
    ids = [m.id for m in members]
    days = await repo.practice_days(ids)
    pauses = await repo.pauses(ids)
    return {
        m.id: compute_streak(
            days.get(m.id, set()),
            local_today(now, m.timezone),
            freezes_per_month=freezes_per_month,
            pauses=pauses.get(m.id, []),
        )
        for m in members
    }


def freezes_of(cohort: Cohort | None) -> int:
    """Streak freezes a month: the cohort's setting; none outside a cohort."""
    return cohort.streak_freezes if cohort is not None else 0


async def member_streak(
    repo: TenantRepository, member: Member, cohort: Cohort | None, now: datetime
) -> Streak:
    """One member's streak, with their cohort's freezes (what every reply about it shows)."""
    return (await streaks(repo, [member], now, freezes_of(cohort)))[member.id]
