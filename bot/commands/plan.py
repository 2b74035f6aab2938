"""/plan: the backwards plan from an offer date, and the planned 40-hour week by category.

The math lives in ``bot.planning`` (pure); this module reads the member's figures, writes their
plan and shows where they stand. Stats, the retro and the review reuse the helpers below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.calendar.template import planned_week
from bot.commands.common import day, plural
from bot.context import Context
from bot.domain.calendar import week_label, week_start
from bot.domain.scoring import WeekTotals
from bot.domain.vocab import CATEGORIES, CATEGORY_LABELS
from bot.errors import UsageError
from bot.params import Kind, MemberRef, Param
from bot.planning.backwards import (
    MAX_HORIZON_DAYS,
    BackwardsPlan,
    backwards_plan,
    monthly_breakdown,
    pace,
)
from bot.planning.funnel import Funnel, FunnelCounts, count_funnel, member_funnel
from bot.planning.week import (
    MAX_DAY_MINUTES,
    Block,
    CategoryComparison,
    compare,
    minutes_by_category,
    next_free_start,
    template,
)
from bot.progress import week_totals
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Table, Text, t
from bot.timeparse import (
    WEEKDAYS,
    BareNumber,
    DateParseError,
    Direction,
    format_minutes,
    format_weekdays,
    parse_date,
    parse_typed_duration,
)
from storage.models import Member, SearchPlan, WeekPlanBlock

commands = CommandSet()

MEMBER = Param("member", Kind.MEMBER, "(coaches) whose plan to show")
DEFAULT_APPS_PER_INTERVIEW = 10
DEFAULT_INTERVIEWS_PER_OFFER = 4
MAX_BLOCK_MINUTES = 12 * 60


# -- shared figures (also used by /review, /stats and the retro) -----------------------------


@dataclass(frozen=True)
class Standing:
    """A member's backwards plan (if they set an offer date), funnel and this week's pace."""

    counts: FunnelCounts
    funnel: Funnel
    plan: BackwardsPlan | None
    week: WeekTotals
    today: date
    cut_off: date | None = None

    def cut_off_line(self) -> str | None:
        """What the cut-off means today: the decision it stands for, or that it has come."""
        if self.cut_off is None:
            return None
        left = (self.cut_off - self.today).days
        when = f"{day(self.cut_off)} {self.cut_off.year}"
        if left < 0:
            return (
                f"✋ Your cut-off, {when}, has passed with no offer yet: time to decide with your "
                "coach whether to end the search or rethink it (roles, locations, the plan)."
            )
        return (
            f"✋ Cut-off {when} ({left} days left): if no offer has come by then, you end or "
            "rethink the search, with your coach."
        )

    def pace_lines(self) -> list[str]:
        if self.plan is None:
            return []
        p = self.plan
        return [
            f"Applications this week: {self.week.applications}/{p.weekly_applications}, "
            + pace(self.week.applications, self.today, p.weekly_applications, "application"),
            f"Outreach this week: {self.week.outreach}/{p.weekly_outreach}, "
            + pace(self.week.outreach, self.today, p.weekly_outreach, "contact"),
        ]


async def funnel_of(ctx: Context, member: Member) -> tuple[FunnelCounts, Funnel]:
    """The member's funnel counts and ratios (their own once they have enough data)."""
    histories = await ctx.repo.stage_histories(member.id)
    counts = count_funnel(histories.values())
    cohort = ctx.cohort
    api = cohort.apps_per_interview if cohort else DEFAULT_APPS_PER_INTERVIEW
    ipo = cohort.interviews_per_offer if cohort else DEFAULT_INTERVIEWS_PER_OFFER
    return counts, member_funnel(
        counts, api or DEFAULT_APPS_PER_INTERVIEW, ipo or DEFAULT_INTERVIEWS_PER_OFFER
    )


async def standing(ctx: Context, member: Member) -> Standing:
    counts, funnel = await funnel_of(ctx, member)
    today = ctx.today_of(member)
    saved = await ctx.repo.search_plan(member.id)
    targets = ctx.targets()
    plan = None
    if saved is not None and saved.offer_by > today:
        plan = backwards_plan(
            today,
            saved.offer_by,
            funnel,
            applications_sent=counts.sent,
            target_applications=targets.applications,
            target_outreach=targets.outreach,
        )
    week = (await week_totals(ctx.repo, [member], ctx.now))[member.id]
    return Standing(counts, funnel, plan, week, today, saved.cut_off if saved else None)


def funnel_line(s: Standing) -> str:
    f = s.funnel
    api = f"{f.apps_per_interview:.1f}".removesuffix(".0")
    ipo = f"{f.interviews_per_offer:.1f}".removesuffix(".0")
    return (
        f"Funnel: {api} applications per interview ({f.apps_source}), "
        f"{ipo} interviews per offer ({f.interviews_source}); so far {s.counts.sent} sent, "
        f"{s.counts.screens} screens, {s.counts.interviews} interviews, {s.counts.offers} offers."
    )


def plan_fields(p: BackwardsPlan) -> Fields:
    return Fields(
        f"Backwards plan to an offer by {day(p.offer_by)} {p.offer_by.year}",
        (
            ("Time left", f"{plural(p.days_left, 'day')} (~{p.weeks_left:.0f} weeks)"),
            ("Apply by", f"{day(p.apply_by)} (offers take about four weeks)"),
            (
                "Applications",
                f"{p.applications_needed} for one offer; {p.applications_sent} sent, "
                f"{p.applications_remaining} to go",
            ),
            ("Interviews", f"about {p.interviews_needed} for one offer"),
            (
                "Monthly",
                f"{p.monthly_applications} applications, {p.monthly_outreach} outreach"
                + (f" (the whole window, to {day(p.apply_by)})" if p.short else ""),
            ),
            ("Weekly", f"{p.weekly_applications} applications, {p.weekly_outreach} outreach"),
            (
                "Daily (Mon-Fri)",
                f"{p.daily_applications} applications, {p.daily_outreach} outreach",
            ),
        ),
    )


def horizon_warning(p: BackwardsPlan) -> str:
    """For an offer date less than six weeks away: why the plan is crammed, and what helps."""
    return (
        f"⏳ A short horizon: offers usually come about four weeks after an application, so "
        f"less than two weeks are left to apply for an offer by {day(p.offer_by)}. The plan puts "
        f"{p.weekly_applications} applications in the week to {day(p.apply_by)}: prioritise "
        "referrals and warm leads, or pick a later offer date for a steadier pace."
    )


def months_table(s: Standing) -> Table:
    """The application and outreach goals of each month until the apply-by date."""
    assert s.plan is not None
    return Table(
        "Month by month",
        ("month", "applications", "outreach"),
        tuple(
            (f"{month:%b %Y}", str(apps), str(outreach))
            for month, apps, outreach in monthly_breakdown(s.today, s.plan)
        ),
    )


async def week_blocks(ctx: Context, member: Member) -> tuple[list[Block], bool]:
    """The member's planned week, or the template (``False``: not saved yet)."""
    blocks, is_template = await planned_week(ctx.repo, member.id)
    return blocks, not is_template


async def plan_vs_actual(
    ctx: Context, member: Member, monday: date
) -> list[CategoryComparison] | None:
    """Planned and actual minutes per category for the week of ``monday`` (None: no plan)."""
    blocks, saved = await week_blocks(ctx, member)
    if not saved:
        return None
    actual = await ctx.repo.hours_by_category(member.id, monday, monday + timedelta(days=6))
    totals = (await week_totals(ctx.repo, [member], ctx.now, of_day=monday))[member.id]
    actual["coding"] = actual.get("coding", 0) + totals.practice_minutes
    return compare(minutes_by_category(blocks), actual)


def comparison_table(rows: list[CategoryComparison], title: str) -> Table:
    return Table(
        title,
        ("category", "planned", "done", "to go"),
        tuple(
            (
                CATEGORY_LABELS[c.category],
                _hours(c.planned) or "0h",
                _hours(c.actual) or "0h",
                _hours(c.gap) if c.gap > 0 else "✓",
            )
            for c in rows
        ),
        empty="Nothing planned or logged.",
    )


def _hours(minutes: int) -> str:
    return format_minutes(minutes) if minutes > 0 else ""


def week_grid(blocks: list[Block], title: str) -> Table:
    days = sorted({b.weekday for b in blocks} | {0, 1, 2, 3, 4})
    cells: dict[tuple[str, int], int] = {}
    for b in blocks:
        cells[(b.category, b.weekday)] = cells.get((b.category, b.weekday), 0) + b.minutes
    rows = []
    for category in CATEGORIES:
        per_day = [cells.get((category, d), 0) for d in days]
        rows.append(
            (CATEGORY_LABELS[category], *(_hours(m) or "-" for m in per_day), _total(per_day))
        )
    day_totals = [sum(cells.get((c, d), 0) for c in CATEGORIES) for d in days]
    rows.append(("Total", *(_hours(m) or "-" for m in day_totals), _total(day_totals)))
    return Table(title, ("", *(WEEKDAYS[d].title() for d in days), "week"), tuple(rows))


def _total(values: list[int]) -> str:
    return _hours(sum(values)) or "0h"


# -- /plan show and /plan offer-by -------------------------------------------------------------


@commands.command(
    "plan show",
    "Where you stand against your backwards plan: on pace, or how far behind this week",
    params=[MEMBER],
    examples=[Example("/plan show", "Funnel")],
)
async def plan_show(ctx: Context, *, member: MemberRef | None) -> Reply:
    owner = await ctx.member_or_self(member)
    s = await standing(ctx, owner)
    blocks: list[Fields | Table | Text | str] = []
    saved = await ctx.repo.search_plan(owner.id)
    if s.plan is None:
        if saved is not None:
            blocks.append(
                t(
                    "The offer date {day} {year} has passed. "
                    "Set a new one with `/plan offer-by DATE`.",
                    day=day(saved.offer_by),
                    year=str(saved.offer_by.year),
                )
            )
        else:
            blocks.append(
                t("No offer date yet. Plan backwards from one: `/plan offer-by 2027-03-31`.")
            )
    else:
        blocks.append(plan_fields(s.plan))
        blocks.append(months_table(s))
        blocks.append("\n".join(s.pace_lines()))
        if s.plan.tight:
            blocks.append(horizon_warning(s.plan))
    if cut_off := s.cut_off_line():
        blocks.append(cut_off)
    blocks.append(funnel_line(s))
    return Reply.of(*blocks)


@commands.command(
    "plan cut-off",
    "The day you end or rethink the search if no offer has come by then (off clears it)",
    params=[
        Param(
            "date",
            Kind.TEXT,
            "the cut-off date, or off",
            required=True,
            positional=True,
            max_length=40,
            example="2027-06-30",
        )
    ],
    examples=[
        Example(
            "/plan cut-off 2027-06-30",
            "Cut-off Wed Jun 30 2027",
            before=(("alice", "/plan offer-by 2027-03-31"),),
        )
    ],
    details="Set it beside your offer date: the offer date is the goal, the cut-off the day "
    "you decided in advance to stop and rethink, so the decision is not made on a bad day.",
)
async def plan_cut_off(ctx: Context, *, date: str) -> Reply:
    saved = await ctx.repo.search_plan(ctx.member.id)
    if saved is None:
        raise UsageError(
            "Set your offer date first: the cut-off goes beside it.",
            hint=t("`/plan offer-by 2027-03-31`, then `/plan cut-off 2027-06-30`."),
            param="date",
        )
    if date.strip().lower() in ("off", "none", "clear"):
        saved.cut_off = None
        saved.updated_at = ctx.now
        return Reply.of("Cut-off cleared.")
    try:
        cut_off = parse_date(date, ctx.today, Direction.FUTURE)
    except DateParseError as exc:
        raise UsageError(
            t("`date`: {problem}. Use YYYY-MM-DD or off.", problem=str(exc)), param="date"
        ) from exc
    if cut_off < saved.offer_by:
        raise UsageError(
            f"A cut-off before your offer date ({day(saved.offer_by)} {saved.offer_by.year}) "
            "would end the search before it can succeed.",
            hint="Pick a day on or after the offer date, e.g. three months later.",
            param="date",
        )
    saved.cut_off = cut_off
    saved.updated_at = ctx.now
    s = await standing(ctx, ctx.member)
    return Reply.of(s.cut_off_line() or "")


@commands.command(
    "plan offer-by",
    "Plan backwards from the day you want a signed offer: monthly, weekly and daily goals",
    params=[
        Param(
            "date",
            Kind.DATE,
            "the day you want a signed offer by",
            required=True,
            positional=True,
            example="2027-03-31",
        )
    ],
    examples=[Example("/plan offer-by 2027-03-31", "Backwards plan")],
    details="Applications needed = interviews per offer × applications per interview (the "
    "cohort's defaults until your own history has enough data); they are spread over the weeks "
    "up to four weeks before the offer date, never below the cohort's weekly targets.",
)
async def plan_offer_by(ctx: Context, *, date: date) -> Reply:
    offer_by = date
    if offer_by <= ctx.today:
        raise UsageError(
            f"{day(offer_by)} {offer_by.year} is not in the future; "
            "pick the day you want a signed offer by.",
            param="date",
        )
    if (offer_by - ctx.today).days > MAX_HORIZON_DAYS:
        raise UsageError("Plan at most two years ahead; pick a nearer offer date.", param="date")
    saved = await ctx.repo.search_plan(ctx.member.id)
    if saved is None:
        await ctx.repo.add(
            SearchPlan(
                member_id=ctx.member.id, offer_by=offer_by, created_at=ctx.now, updated_at=ctx.now
            )
        )
    else:
        saved.offer_by = offer_by
        saved.updated_at = ctx.now
    s = await standing(ctx, ctx.member)
    assert s.plan is not None
    return Reply.of(
        f"🎯 Offer by {day(offer_by)} {offer_by.year}: here is your backwards plan.",
        *([horizon_warning(s.plan)] if s.plan.tight else []),
        plan_fields(s.plan),
        months_table(s),
        "\n".join(s.pace_lines()),
        funnel_line(s),
    )


# -- /plan week and /plan template -------------------------------------------------------------


def parse_hours(raw: str) -> int:
    """``3h``, ``2.5h``, ``90m``, ``1h30m``; ``0``/``off`` clears the block. A bare number is
    refused, as everywhere a duration is typed: ``3`` could be minutes or hours."""
    text = raw.strip().lower()
    if text in ("0", "off", "none", "-"):
        return 0
    try:
        minutes = parse_typed_duration(text)
    except BareNumber as exc:
        raise UsageError(
            t(
                "`hours`: {number} what? Say `{number}h` or `{number}m`.",
                number=exc.number,
            ),
            param="hours",
        ) from exc
    except ValueError as exc:
        raise UsageError(
            t("`{raw}` is not a number of hours; try 3h, 2.5h or 90m.", raw=raw[:20]),
            param="hours",
        ) from exc
    if minutes > MAX_BLOCK_MINUTES:
        raise UsageError("Plan at most 12 hours of one category on one day.", param="hours")
    return minutes


@commands.command(
    "plan week",
    "Show your planned week, or plan hours for a category on some weekdays",
    params=[
        Param(
            "category",
            Kind.CHOICE,
            "one of the six categories",
            positional=True,
            choices=CATEGORIES,
            example="coding",
        ),
        Param("days", Kind.WEEKDAYS, "weekdays", positional=True, example="mon-fri"),
        Param("hours", Kind.TEXT, "time a day (0 removes it)", positional=True, example="3h"),
        Param("start", Kind.TIME, "start time", example="09:00"),
        MEMBER,
    ],
    examples=[
        Example("/plan week", "Your planned week"),
        Example("/plan week coding mon-fri 3h", "Planned 3h of Coding"),
        Example("/plan week other sat 2h start=10:00", "Planned 2h of Other"),
    ],
    details="Starts from the 40-hour template (/plan template). Hours are per day; "
    "0 removes a block. Categories: " + ", ".join(CATEGORIES) + ".",
)
async def plan_week(
    ctx: Context,
    *,
    category: str | None,
    days: tuple[int, ...] | None,
    hours: str | None,
    start: time | None,
    member: MemberRef | None,
) -> Reply:
    given = {"category": category, "days": days, "hours": hours}
    if not any(given.values()) and start is None:
        return await _show_week(ctx, await ctx.member_or_self(member))
    if member is not None:
        raise UsageError("Only your own week can be changed; leave out member=.", param="member")
    if not (category and days and hours):
        raise UsageError(
            "Say the category, the weekdays and the hours a day.",
            hint="e.g. /plan week coding mon-fri 3h",
            param=next(name for name, value in given.items() if not value),
        )
    minutes = parse_hours(hours)
    rows = list(await ctx.repo.week_plan(ctx.member.id))
    if not rows:
        rows = await _write_template(ctx)
    for weekday in days:
        current = [Block(r.weekday, r.category, r.start, r.minutes) for r in rows]
        row = next((r for r in rows if r.weekday == weekday and r.category == category), None)
        if minutes == 0:
            if row is not None:
                await ctx.repo.delete(row)
                rows.remove(row)
            continue
        if row is None:
            others = [b for b in current if b.category != category]
            row = await ctx.repo.add(
                WeekPlanBlock(
                    member_id=ctx.member.id,
                    weekday=weekday,
                    category=category,
                    start=start or next_free_start(others, weekday, category),
                    minutes=minutes,
                )
            )
            rows.append(row)
        else:
            row.minutes = minutes
            if start is not None:
                row.start = start
        _check_day(rows, weekday)
    blocks = [Block(r.weekday, r.category, r.start, r.minutes) for r in rows]
    total = sum(b.minutes for b in blocks)
    label = CATEGORY_LABELS[category]
    on = format_weekdays(tuple(days))
    lead = (
        f"🗓️ Removed {label} on {on}."
        if minutes == 0
        else f"🗓️ Planned {format_minutes(minutes)} of {label} on {on}."
    )
    return Reply.of(
        f"{lead} Your week: {_hours(total) or '0h'} planned.",
        week_grid(blocks, "Your planned week"),
    )


def _check_day(rows: list[WeekPlanBlock], weekday: int) -> None:
    total = sum(r.minutes for r in rows if r.weekday == weekday)
    if total > MAX_DAY_MINUTES:
        raise UsageError(
            f"That plans {format_minutes(total)} on {WEEKDAYS[weekday].title()}; "
            "16 hours a day is the limit.",
            param="hours",
        )
    for r in rows:
        if r.weekday == weekday and r.start.hour * 60 + r.start.minute + r.minutes > 24 * 60:
            raise UsageError(
                f"{CATEGORY_LABELS[r.category]} on {WEEKDAYS[weekday].title()} would run past "
                "midnight; give an earlier start=.",
                param="start",
            )


async def _write_template(ctx: Context) -> list[WeekPlanBlock]:
    await ctx.repo.clear_week_plan(ctx.member.id)
    rows = []
    for b in template():
        rows.append(
            await ctx.repo.add(
                WeekPlanBlock(
                    member_id=ctx.member.id,
                    weekday=b.weekday,
                    category=b.category,
                    start=b.start,
                    minutes=b.minutes,
                )
            )
        )
    return rows


async def _show_week(ctx: Context, member: Member) -> Reply:
    blocks, saved = await week_blocks(ctx, member)
    mine = member.id == ctx.member.id
    whose = "Your" if mine else f"{member.display_name}'s"
    total = _hours(sum(b.minutes for b in blocks)) or "0h"
    if not saved:
        note: Text | str = (
            t(
                "This is the 40-hour template; change a category with "
                "`/plan week coding mon-fri 3h`."
            )
            if mine
            else f"{member.display_name} has not planned a week yet; this is the template."
        )
        return Reply.of(week_grid(blocks, f"{whose} planned week (template, {total})"), note)
    monday = week_start(ctx.today_of(member))
    comparison = await plan_vs_actual(ctx, member, monday) or []
    return Reply.of(
        week_grid(blocks, f"{whose} planned week ({total})"),
        comparison_table(comparison, f"Plan vs actual, {week_label(monday)}"),
    )


@commands.command(
    "plan template",
    "Reset your planned week to the 40-hour template (8 hours Monday to Friday)",
    examples=[Example("/plan template", "40h")],
)
async def plan_template(ctx: Context) -> Reply:
    rows = await _write_template(ctx)
    blocks = [Block(r.weekday, r.category, r.start, r.minutes) for r in rows]
    return Reply.of(
        "🗓️ Your week is the 40-hour template now: coding first, then outreach, research, "
        "interview prep, housekeeping and other.",
        week_grid(blocks, "Your planned week (40h)"),
    )
