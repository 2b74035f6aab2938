"""/stats and /leaderboard: a week against the targets, the trend, and the cohort's standings."""

from __future__ import annotations

from datetime import date, timedelta

from bot.commands.common import targets_rows
from bot.commands.plan import comparison_table, plan_vs_actual
from bot.context import Context
from bot.domain.calendar import week_label, week_start
from bot.domain.vocab import CATEGORIES, CATEGORY_LABELS
from bot.errors import UserError
from bot.leaderboard import SCORE_RULE, leaderboard_blocks, ranked_members
from bot.params import Kind, MemberRef, Param
from bot.progress import member_weeks
from bot.registry import CommandSet, Example
from bot.replies import Block, Reply, Table, Visibility
from bot.timeparse import Direction, format_minutes

commands = CommandSet()


@commands.command(
    "stats",
    "Your week against the targets, by category, with a four-week trend",
    params=[
        Param(
            "week",
            Kind.DATE,
            "any day of the week to show",
            direction=Direction.PAST,
            example="last mon",
        ),
        Param("member", Kind.MEMBER, "(coaches) whose stats to show"),
    ],
    examples=[Example("/stats", "Applications"), Example('/stats week="last mon"', "Trend")],
)
async def stats(ctx: Context, *, week: date | None, member: MemberRef | None) -> Reply:
    whom = await ctx.member_or_self(member)
    targets = ctx.targets()
    anchor = week or ctx.today_of(whom)
    start = week_start(anchor)
    weeks = [start - timedelta(weeks=i) for i in range(4)]
    per_week = await member_weeks(ctx.repo, whom, weeks)
    totals = per_week[start]
    rows = targets_rows(totals, targets)
    whose = "Your" if whom.id == ctx.member.id else f"{whom.display_name}'s"
    blocks: list[Block | str] = [
        Table(f"{whose} week, {week_label(start)}", ("", "done", "progress"), rows)
    ]
    by_category = await ctx.repo.hours_by_category(whom.id, start, start + timedelta(days=6))
    by_category["coding"] = by_category.get("coding", 0) + totals.practice_minutes
    blocks.append(
        Table(
            "Hours by category",
            ("category", "hours"),
            tuple(
                (CATEGORY_LABELS[c], format_minutes(by_category[c]))
                for c in CATEGORIES
                if by_category.get(c)
            ),
            empty="No hours logged this week. Try /hours research 1h.",
        )
    )
    planned = await plan_vs_actual(ctx, whom, start)
    if planned is not None:
        blocks.append(comparison_table(planned, "Planned week vs actual"))
    blocks.append(
        Table(
            "Trend (last four weeks)",
            ("week", "apps", "outreach", "practice", "hours"),
            tuple(
                (
                    week_label(w),
                    str(per_week[w].applications),
                    str(per_week[w].outreach),
                    str(per_week[w].practice_days),
                    format_minutes(per_week[w].total_minutes)
                    if per_week[w].total_minutes
                    else "0h",
                )
                for w in reversed(weeks)
            ),
        )
    )
    missed = targets.below(totals)
    if start == week_start(ctx.today) and missed:
        blocks.append("Still to go this week: " + ", ".join(missed) + ".")
    elif not missed:
        blocks.append("🏆 Every target met. Outstanding!")
    return Reply.of(*blocks)


@commands.command(
    "leaderboard",
    "This week's cohort leaderboard",
    examples=[Example("/leaderboard", "Score =")],
    details=SCORE_RULE + " Choose how you appear with /me leaderboard=shown|anonymous|hidden.",
)
async def leaderboard(ctx: Context) -> Reply:
    cohort = ctx.require_cohort()
    if not await ranked_members(ctx.repo, cohort, ctx.now):
        raise UserError("Nobody in the cohort is searching yet, so there is no leaderboard.")
    blocks = await leaderboard_blocks(ctx.repo, cohort, ctx.now, viewer=ctx.member)
    return Reply.of(*blocks, visibility=Visibility.PRIVATE)
