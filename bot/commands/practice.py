"""/practice, /streak and /hours: coding practice, the daily streak and time per category."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.commands.common import DATE_PAST, FORCE, check_log_date, day, duplicate, plural
from bot.context import Context
from bot.domain.vocab import CATEGORIES, CATEGORY_LABELS
from bot.entities import HOURS, PRACTICE
from bot.params import Kind, Param
from bot.progress import freezes_of, member_streak
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, t
from bot.services.changes import record
from bot.timeparse import format_minutes
from storage.models import HourLog, PracticeLog

commands = CommandSet()


async def _streak_line(ctx: Context) -> str:
    streak = await member_streak(ctx.repo, ctx.member, ctx.cohort, ctx.now)
    fire = "🔥" if streak.current >= 3 else "✨"
    return f"{fire} Streak: {plural(streak.current, 'day')} (longest {streak.longest})."


@commands.command(
    "practice",
    "Log coding practice (keeps your daily streak alive)",
    params=[
        Param("duration", Kind.DURATION, "how long", required=True, positional=True, example="45m"),
        Param(
            "what",
            Kind.TEXT,
            "what you practised",
            positional=True,
            rest=True,
            max_length=300,
            example='"two-pointer problems"',
        ),
        Param("link", Kind.URL, "a link, e.g. your daily_practice commit"),
        DATE_PAST,
        FORCE,
    ],
    examples=[
        Example("/practice 45m leetcode arrays", "Logged 45m of practice"),
        Example(
            "/practice 1.5h link=https://github.com/alice/daily_practice/commit/abc1234", "Streak"
        ),
    ],
)
async def practice(
    ctx: Context,
    *,
    duration: int,
    what: str | None,
    link: str | None,
    date: date | None,
    force: str | None,
) -> Reply:
    when = check_log_date(ctx, date, force, "practice")
    text = (what or "").strip()
    if text and force != "yes":
        same = await ctx.repo.scalar(
            select(PracticeLog)
            .where(
                PracticeLog.member_id == ctx.member.id,
                PracticeLog.day == when,
                PracticeLog.source == "manual",
                func.lower(PracticeLog.what) == text.lower(),
            )
            .limit(1)
        )
        if same is not None:
            shown = f"{PRACTICE.label(same)}, {format_minutes(same.minutes)}"
            raise duplicate(
                "practice", shown + (f" of {same.what}" if same.what else ""), same.day, "what"
            )
    row = await ctx.repo.add(
        PracticeLog(
            member_id=ctx.member.id,
            day=when,
            minutes=duration,
            what=what or "",
            link=link or "",
            source="manual",
            created_at=ctx.now,
        )
    )
    await record(ctx.repo, ctx.member.id, ctx.now, "added", row)
    on = "" if when == ctx.today else f" on {day(when)}"
    return Reply.of(
        f"💻 Logged {format_minutes(duration)} of practice{on}.\n"
        + await _streak_line(ctx)
        + f"\nSaved as {PRACTICE.label(row)}."
    )


@commands.command(
    "streak",
    "Your practice streak: current, longest and this week",
    examples=[Example("/streak", "Current streak")],
)
async def streak(ctx: Context) -> Reply:
    s = await member_streak(ctx.repo, ctx.member, ctx.cohort, ctx.now)
    fields = [
        ("Current streak", plural(s.current, "day") + (" 🔥" if s.current >= 3 else "")),
        ("Longest streak", plural(s.longest, "day")),
        ("This week", f"{plural(s.week_days, 'practice day')} of {ctx.targets().practice_days}"),
        ("Freezes used this month", f"{s.freezes_used_this_month} of {freezes_of(ctx.cohort)}"),
    ]
    hint = (
        "You practised today. 💪"
        if s.practiced_today
        else t("Not yet today: `/practice 30m` keeps it going.")
    )
    return Reply.of(Fields("Your practice streak", tuple(fields)), hint)


@commands.command(
    "hours",
    "Log time on a job-search category",
    params=[
        Param(
            "category",
            Kind.CHOICE,
            "one of the six categories",
            required=True,
            positional=True,
            choices=CATEGORIES,
            example="research",
        ),
        Param("duration", Kind.DURATION, "how long", required=True, positional=True, example="2h"),
        Param("note", Kind.TEXT, "what you did", positional=True, rest=True, max_length=300),
        DATE_PAST,
        FORCE,
    ],
    examples=[
        Example("/hours research 2h company list for fintech", "Logged 2h of Research"),
        Example("/hours interview-prep 90m mock interview with bob", "Interview prep"),
    ],
    details="Categories: " + ", ".join(CATEGORIES) + ".",
)
async def hours(
    ctx: Context,
    *,
    category: str,
    duration: int,
    note: str | None,
    date: date | None,
    force: str | None,
) -> Reply:
    when = check_log_date(ctx, date, force, "time")
    row = await ctx.repo.add(
        HourLog(
            member_id=ctx.member.id,
            day=when,
            category=category,
            minutes=duration,
            note=note or "",
            created_at=ctx.now,
        )
    )
    await record(ctx.repo, ctx.member.id, ctx.now, "added", row)
    on = "" if when == ctx.today else f" on {day(when)}"
    return Reply.of(
        f"⏱️ Logged {format_minutes(duration)} of {CATEGORY_LABELS[category]}{on}.\n"
        f"Saved as {HOURS.label(row)}."
    )
