"""/dashboard: a member's week at a glance (Slack's App Home shows the same reply)."""

from __future__ import annotations

from bot.commands.common import day, due_phrase, plural, targets_rows
from bot.context import Context
from bot.domain.calendar import week_label, week_start
from bot.entities import APPLICATION
from bot.progress import member_streak, week_totals
from bot.registry import CommandSet, Example
from bot.replies import Reply, Table, t
from bot.services.followups import FollowUp, due_followups
from storage.models import Application

commands = CommandSet()

SHOWN_FOLLOWUPS = 5


def _followup_what(f: FollowUp) -> str:
    """``A3 Backend Engineer at Stripe`` or ``C7 Jane Doe at Stripe`` (no stage: it is short)."""
    if isinstance(f.item, Application):
        return f"{f.ref} {f.item.role} at {f.item.company}"
    return f"{f.ref} {f.what}"


async def dashboard_reply(ctx: Context) -> Reply:
    """This week against targets, the streak, due follow-ups and recent applications."""
    targets = ctx.targets()
    totals = (await week_totals(ctx.repo, [ctx.member], ctx.now))[ctx.member.id]
    streak = await member_streak(ctx.repo, ctx.member, ctx.cohort, ctx.now)
    due = await due_followups(ctx.repo, ctx.member.id, ctx.today)
    recent = await ctx.repo.applications(ctx.member.id, limit=5)
    week = Table(
        f"This week ({week_label(week_start(ctx.today))})",
        ("", "done", "progress"),
        targets_rows(totals, targets),
    )
    followups = Table(
        f"Follow-ups due ({len(due)})",
        ("what", "when"),
        tuple((_followup_what(f), due_phrase(f.due, ctx.today)) for f in due[:SHOWN_FOLLOWUPS]),
        empty="Nothing due. 🎯",
    )
    latest = Table(
        "Recent applications",
        ("id", "company", "role", "stage", "applied"),
        tuple(
            (APPLICATION.label(a), a.company, a.role, a.stage, day(a.applied_on)) for a in recent
        ),
        empty='None yet: /apply Stripe "Backend Engineer"',
    )
    practised = "practised today ✅" if streak.practiced_today else "not yet today"
    heading = t("*{name}'s dashboard*", name=ctx.member.display_name)
    if ctx.cohort:
        heading += f" · {ctx.cohort.name}"
    return Reply.of(
        heading,
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
async def dashboard(ctx: Context) -> Reply:
    return await dashboard_reply(ctx)
