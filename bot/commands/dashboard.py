"""/dashboard: a member's week at a glance (Slack's App Home shows the same reply)."""

from __future__ import annotations

from bot.commands.common import day, due_phrase, plural, targets_rows
from bot.context import Args, Context
from bot.domain.calendar import week_label, week_start
from bot.progress import streaks, week_totals
from bot.registry import CommandSet, Example
from bot.replies import Reply, Table

commands = CommandSet()


async def dashboard_reply(ctx: Context) -> Reply:
    """This week against targets, the streak, due follow-ups and recent applications."""
    targets = ctx.targets()
    t = (await week_totals(ctx.repo, [ctx.member], ctx.now))[ctx.member.id]
    freezes = ctx.cohort.streak_freezes if ctx.cohort else 0
    streak = (await streaks(ctx.repo, [ctx.member], ctx.now, freezes))[ctx.member.id]
    apps, contacts = await ctx.repo.due_followups(ctx.member.id, ctx.today)
    recent = await ctx.repo.applications(ctx.member.id, limit=5)
    week = Table(
        f"This week ({week_label(week_start(ctx.today))})",
        ("", "done", "progress"),
        targets_rows(t, targets),
    )
    due = sorted([*apps, *contacts], key=lambda i: i.follow_up)
    followups = Table(
        f"Follow-ups due ({len(due)})",
        ("what", "when"),
        tuple(
            (
                f"A{i.number} {i.role} at {i.company}"
                if hasattr(i, "stage")
                else f"C{i.number} {i.name}" + (f" at {i.company}" if i.company else ""),
                due_phrase(i.follow_up, ctx.today),
            )
            for i in due[:5]
        ),
        empty="Nothing due. 🎯",
    )
    latest = Table(
        "Recent applications",
        ("id", "company", "role", "stage", "applied"),
        tuple((f"A{a.number}", a.company, a.role, a.stage, day(a.applied_on)) for a in recent),
        empty='None yet: /apply Stripe "Backend Engineer"',
    )
    practised = "practised today ✅" if streak.practiced_today else "not yet today"
    return Reply.of(
        f"*{ctx.member.display_name}'s dashboard*"
        + (f" · {ctx.cohort.name}" if ctx.cohort else ""),
        week,
        f"🔥 Streak: {plural(streak.current, 'day')} (longest {streak.longest}), {practised}.",
        followups,
        latest,
    )


@commands.command(
    "dashboard",
    "Your week at a glance: targets, streak, follow-ups, recent applications",
    examples=[Example("/dashboard", "Follow-ups due")],
)
async def dashboard(ctx: Context, args: Args) -> Reply:
    return await dashboard_reply(ctx)
