"""/chart week, trend, cohort and funnel: progress as PNG images (Slack and Discord show them)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from bot.charts import data as chart_data
from bot.charts.figures import cohort_figure, funnel_figure, to_png, trend_figure, week_figure
from bot.context import Context
from bot.params import Kind, MemberRef, Param
from bot.registry import CommandSet, Example
from bot.replies import File, Reply
from bot.timeparse import Direction
from storage.models import Member

commands = CommandSet()

MEMBER = Param("member", Kind.MEMBER, "(coaches) whose chart to draw")
WEEK = Param(
    "week", Kind.DATE, "any day of the week to draw", direction=Direction.PAST, example="last mon"
)


# Charts drawn at once per process: a burst of /chart commands queues here (in worker threads,
# never on the event loop) instead of taking every thread and core from everything else.
_DRAWING = threading.BoundedSemaphore(2)


def _draw(build: Callable[[Any], Any], data: Any) -> bytes:
    with _DRAWING:
        return to_png(build(data))


async def _png(build: Callable[[Any], Any], data: Any) -> bytes:
    """Draw off the event loop: a chart takes tens of milliseconds of CPU."""
    return await asyncio.to_thread(_draw, build, data)


def _whose(ctx: Context, member: Member) -> str:
    return "Your" if member.id == ctx.member.id else f"{member.display_name}'s"


def _file(name: str, ctx: Context, member: Member | None, content: bytes, title: str) -> File:
    who = f"-{member.platform_user_id}" if member is not None and member.id != ctx.member.id else ""
    return File(f"offerbound-{name}{who}-{ctx.today.isoformat()}.png", content, "image/png", title)


@commands.command(
    "chart week",
    "A chart of your week: targets and hours by category against your plan",
    params=[WEEK, MEMBER],
    examples=[Example("/chart week", "week"), Example('/chart week week="last mon"', "week")],
    expensive=True,
)
async def chart_week(ctx: Context, *, week: date | None, member: MemberRef | None) -> Reply:
    whom = await ctx.member_or_self(member)
    anchor = week or ctx.today_of(whom)
    data = await chart_data.week_chart(ctx.repo, whom, ctx.targets(), anchor, _whose(ctx, whom))
    png = await _png(week_figure, data)
    return Reply.of(_file("week", ctx, whom, png, data.title))


@commands.command(
    "chart trend",
    "A chart of your last eight weeks by category, against the targets",
    params=[MEMBER],
    examples=[Example("/chart trend", "last 8 weeks")],
    expensive=True,
)
async def chart_trend(ctx: Context, *, member: MemberRef | None) -> Reply:
    whom = await ctx.member_or_self(member)
    data = await chart_data.trend_chart(
        ctx.repo, whom, ctx.targets(), ctx.today_of(whom), _whose(ctx, whom)
    )
    png = await _png(trend_figure, data)
    return Reply.of(_file("trend", ctx, whom, png, data.title))


@commands.command(
    "chart cohort",
    "A chart of the cohort's weekly applications, outreach and practice (totals, no names)",
    examples=[Example("/chart cohort", "the cohort's weeks")],
    expensive=True,
)
async def chart_cohort(ctx: Context) -> Reply:
    cohort = ctx.require_cohort()
    data = await chart_data.cohort_chart(ctx.repo, cohort, ctx.targets(), ctx.today)
    png = await _png(cohort_figure, data)
    return Reply.of(_file("cohort", ctx, None, png, data.title))


@commands.command(
    "chart funnel",
    "A chart of your applications by stage",
    params=[MEMBER],
    examples=[Example("/chart funnel", "applications by stage")],
    expensive=True,
)
async def chart_funnel(ctx: Context, *, member: MemberRef | None) -> Reply:
    whom = await ctx.member_or_self(member)
    data = await chart_data.funnel_chart(ctx.repo, whom, _whose(ctx, whom))
    png = await _png(funnel_figure, data)
    return Reply.of(_file("funnel", ctx, whom, png, data.title))
