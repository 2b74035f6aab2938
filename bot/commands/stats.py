"""/stats and /leaderboard: a week against the targets, the trend, and the cohort's standings."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Args, Context
from bot.domain.calendar import week_label, week_start
from bot.domain.scoring import competition_ranks, progress_bar
from bot.domain.vocab import CATEGORIES, CATEGORY_LABELS, SCORE_WEIGHTS
from bot.errors import UserError
from bot.params import Kind, Param
from bot.progress import effective_status, streaks, week_totals
from bot.registry import CommandSet, Example
from bot.replies import Reply, Table, Visibility
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
async def stats(ctx: Context, args: Args) -> Reply:
    member = await ctx.member_or_self(args.member)
    targets = ctx.targets()
    anchor = args.week or ctx.today_of(member)
    start = week_start(anchor)
    weeks = [start - timedelta(weeks=i) for i in range(4)]
    per_week = {}
    for monday in weeks:
        per_week[monday] = (await week_totals(ctx.repo, [member], ctx.now, of_day=monday))[
            member.id
        ]
    t = per_week[start]
    rows = (
        (
            "Applications",
            f"{t.applications}/{targets.applications}",
            progress_bar(t.applications, targets.applications),
        ),
        (
            "Outreach",
            f"{t.outreach}/{targets.outreach}",
            progress_bar(t.outreach, targets.outreach),
        ),
        (
            "Practice days",
            f"{t.practice_days}/{targets.practice_days}",
            progress_bar(t.practice_days, targets.practice_days),
        ),
        (
            "Hours",
            f"{format_minutes(t.total_minutes) if t.total_minutes else '0h'}/{targets.hours}h",
            progress_bar(t.total_minutes, targets.hours * 60),
        ),
    )
    whose = "Your" if member.id == ctx.member.id else f"{member.display_name}'s"
    blocks = [Table(f"{whose} week, {week_label(start)}", ("", "done", "progress"), rows)]
    by_category = await ctx.repo.hours_by_category(member.id, start, start + timedelta(days=6))
    by_category["coding"] = by_category.get("coding", 0) + t.practice_minutes
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
    missed = targets.below(t)
    if start == week_start(ctx.today) and missed:
        blocks.append("Still to go this week: " + ", ".join(missed) + ".")
    elif not missed:
        blocks.append("🏆 Every target met. Outstanding!")
    return Reply.of(*blocks)


SCORE_RULE = (
    f"Score = {SCORE_WEIGHTS['applications']} per application + "
    f"{SCORE_WEIGHTS['outreach']} per outreach contact + "
    f"{SCORE_WEIGHTS['practice_days']} per practice day, this week."
)


@commands.command(
    "leaderboard",
    "This week's cohort leaderboard",
    examples=[Example("/leaderboard", "Score =")],
    details=SCORE_RULE + " Choose how you appear with /me leaderboard=shown|anonymous|hidden.",
)
async def leaderboard(ctx: Context, args: Args) -> Reply:
    cohort = ctx.require_cohort()
    people = [
        m
        for m in await ctx.repo.cohort_members(cohort.id)
        if m.role == "member" and effective_status(m, ctx.today) == "searching"
    ]
    if not people:
        raise UserError("Nobody in the cohort is searching yet, so there is no leaderboard.")
    totals = await week_totals(ctx.repo, people, ctx.now)
    runs = await streaks(ctx.repo, people, ctx.now, cohort.streak_freezes)
    ordered = sorted(people, key=lambda m: (-totals[m.id].score, m.display_name.lower()))
    ranks = competition_ranks([totals[m.id].score for m in ordered])
    rows = []
    for rank, m in zip(ranks, ordered, strict=True):
        if m.leaderboard == "hidden" and m.id != ctx.member.id:
            continue
        name = m.display_name if m.leaderboard == "shown" else "(anonymous)"
        if m.id == ctx.member.id:
            name = f"{m.display_name} (you)"
        t = totals[m.id]
        rows.append(
            (
                f"#{rank}",
                name,
                str(t.applications),
                str(t.outreach),
                str(t.practice_days),
                str(runs[m.id].current),
                str(t.score),
            )
        )
    blocks: list = [
        Table(
            f"{cohort.name} leaderboard, week of {week_label(week_start(ctx.today))}",
            ("rank", "member", "apps", "outreach", "practice", "streak", "score"),
            tuple(rows),
        ),
    ]
    if ctx.member in ordered:
        my_rank = ranks[ordered.index(ctx.member)]
        tied = ranks.count(my_rank) > 1
        blocks.append(f"You are #{my_rank} of {len(ordered)}{' (tied)' if tied else ''}.")
    kudos = await ctx.repo.kudos_between(cohort.id, week_start(ctx.today), ctx.today)
    if kudos:
        blocks.append(f"💛 {len(kudos)} kudos shared this week.")
    blocks.append(SCORE_RULE)
    return Reply.of(*blocks, visibility=Visibility.PRIVATE)
