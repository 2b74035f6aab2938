"""Backwards planning: from the day a member wants a signed offer, the goals for every month,
week and day until then, and whether this week is on pace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from bot.planning.funnel import Funnel

# An application sent later than this before the offer date rarely becomes an offer by then
# (screens, interviews and the offer itself take about four weeks).
HIRING_LAG_DAYS = 28
WORKING_DAYS = 5
MAX_HORIZON_DAYS = 2 * 366
MONTH_WORKING_DAYS_X12 = 52 * WORKING_DAYS  # working days in an average month, times 12
SHORT_WINDOW_DAYS = 28  # an apply window shorter than four weeks has no "monthly" pace


@dataclass(frozen=True)
class BackwardsPlan:
    """The goals derived from an offer date."""

    offer_by: date
    apply_by: date
    days_left: int
    weeks_left: float
    applications_needed: int
    applications_sent: int
    interviews_needed: int
    weekly_applications: int
    weekly_outreach: int
    monthly_applications: int
    monthly_outreach: int
    daily_applications: int
    daily_outreach: int
    tight: bool
    # The apply window is under four weeks: "monthly" is the whole window's goal.
    short: bool = False

    @property
    def applications_remaining(self) -> int:
        return max(0, self.applications_needed - self.applications_sent)


def backwards_plan(
    today: date,
    offer_by: date,
    funnel: Funnel,
    *,
    applications_sent: int,
    target_applications: int,
    target_outreach: int,
) -> BackwardsPlan:
    """Spread the applications still needed over the weeks before the apply-by date.

    The weekly goal never drops below the cohort's target; outreach keeps the cohort's ratio of
    outreach to applications (10 and 10 by default, so one person per application).
    """
    needed = funnel.applications_for(1)
    remaining = max(0, needed - applications_sent)
    natural = offer_by - timedelta(days=HIRING_LAG_DAYS)
    # Less than a week before the hiring lag: spread the applications over at least this week
    # (up to the day before the offer date), so the weekly goal is a week's work, not a day's.
    apply_by = max(natural, min(today + timedelta(days=6), offer_by - timedelta(days=1)), today)
    window_days = (apply_by - today).days + 1
    weeks = max(1.0, window_days / 7)
    weekly_apps = max(target_applications, math.ceil(remaining / weeks))
    ratio = target_outreach / target_applications if target_applications else 1.0
    weekly_outreach = max(target_outreach, math.ceil(weekly_apps * ratio))
    days = working_days(today, apply_by)
    short = window_days < SHORT_WINDOW_DAYS
    return BackwardsPlan(
        offer_by=offer_by,
        apply_by=apply_by,
        days_left=(offer_by - today).days,
        weeks_left=(offer_by - today).days / 7,
        applications_needed=needed,
        applications_sent=applications_sent,
        interviews_needed=funnel.interviews_for(1),
        weekly_applications=weekly_apps,
        weekly_outreach=weekly_outreach,
        monthly_applications=_monthly(weekly_apps, days, short),
        monthly_outreach=_monthly(weekly_outreach, days, short),
        daily_applications=math.ceil(weekly_apps / WORKING_DAYS),
        daily_outreach=math.ceil(weekly_outreach / WORKING_DAYS),
        tight=(natural - today).days + 1 < 14,
        short=short,
    )


def _monthly(weekly: int, window_working_days: int, short: bool) -> int:
    """An average month's share of a weekly goal; a window shorter than a month has just its own
    working days' share (the same figure the month-by-month table adds up to)."""
    if short:
        return math.ceil(weekly * window_working_days / WORKING_DAYS)
    return math.ceil(weekly * MONTH_WORKING_DAYS_X12 / (12 * WORKING_DAYS))


def expected_by(today: date, weekly_goal: int) -> int:
    """How much of a weekly goal should be done before ``today`` starts (Mon-Fri, evenly).

    Today itself is still open, so Monday morning is never "behind".
    """
    worked = min(today.weekday(), WORKING_DAYS)
    return math.ceil(weekly_goal * worked / WORKING_DAYS)


def pace(done: int, today: date, weekly_goal: int, noun: str) -> str:
    """``on pace`` or ``3 applications behind this week``, for one weekly goal."""
    behind = expected_by(today, weekly_goal) - done
    if behind <= 0:
        return "on pace"
    return f"{behind} {noun}{'' if behind == 1 else 's'} behind this week"


def working_days(first: date, last: date) -> int:
    """Monday-to-Friday days from ``first`` to ``last`` inclusive."""
    if last < first:
        return 0
    whole, rest = divmod((last - first).days + 1, 7)
    extra = sum(1 for i in range(rest) if (first + timedelta(days=i)).weekday() < WORKING_DAYS)
    return whole * WORKING_DAYS + extra


def monthly_breakdown(today: date, plan: BackwardsPlan) -> list[tuple[date, int, int]]:
    """Each calendar month of the apply window with its application and outreach goals.

    A month's share is the weekly goal times its working days in the window over five, so the
    current month and the last one count only the days that are left or planned.
    """
    months: list[tuple[date, int, int]] = []
    first = today
    while first <= plan.apply_by:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(plan.apply_by, next_month - timedelta(days=1))
        days = working_days(first, last)
        months.append(
            (
                first.replace(day=1),
                math.ceil(plan.weekly_applications * days / WORKING_DAYS),
                math.ceil(plan.weekly_outreach * days / WORKING_DAYS),
            )
        )
        first = next_month
    return months
