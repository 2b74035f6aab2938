"""/skip, /cohort schedule, /cohort prompt and /cohort holidays: the cohort's prompt rhythm."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from bot.commands.common import day
from bot.context import Context
from bot.domain.prompt_rules import CHANNEL_KINDS, Kind, Planned, receives_prompts, schedule_lines
from bot.errors import UsageError, UserError
from bot.params import Kind as ParamKind
from bot.params import MemberRef, Param
from bot.registry import CommandSet, Example, Role
from bot.replies import Block, Fields, Reply, Table, t
from bot.services.prompts import queue
from storage.models import Holiday, Member, OutboxMessage, Skip

commands = CommandSet()

SENDABLE = {
    "standup": Kind.STANDUP,
    "reminder": Kind.REMINDER,
    "followups": Kind.FOLLOWUPS,
    "retro": Kind.RETRO,
    "summary": Kind.SUMMARY,
    "retro-summary": Kind.RETRO_SUMMARY,
    "leaderboard": Kind.LEADERBOARD,
    "digest": Kind.DIGEST,
}


@commands.command(
    "skip",
    "Skip today's standup (no reminder, not counted as missing)",
    examples=[Example("/skip", "Skipped")],
)
async def skip(ctx: Context) -> Reply:
    if await ctx.repo.standup(ctx.member.id, ctx.today) is not None:
        raise UserError("You already checked in today, so there is nothing to skip.")
    existing = await ctx.repo.scalar(
        select(Skip).where(Skip.member_id == ctx.member.id, Skip.day == ctx.today)
    )
    if existing is None:
        await ctx.repo.add(Skip(member_id=ctx.member.id, day=ctx.today))
    return Reply.of(f"😌 Skipped your standup for {day(ctx.today)}. See you tomorrow!")


@commands.command(
    "cohort schedule",
    "When the cohort's prompts go out, and today's deliveries",
    role=Role.COACH,
    examples=[Example("/cohort schedule", "Standup (DM)", as_user="coach")],
)
async def schedule(ctx: Context) -> Reply:
    cohort = ctx.require_cohort()
    rows = await ctx.repo.execute(
        select(OutboxMessage.kind, OutboxMessage.status, func.count())
        .where(
            OutboxMessage.cohort_id == cohort.id,
            OutboxMessage.local_day.between(ctx.today - timedelta(days=1), ctx.today),
        )
        .group_by(OutboxMessage.kind, OutboxMessage.status)
        .order_by(OutboxMessage.kind, OutboxMessage.status)
    )
    holidays = await ctx.repo.scalars(
        select(Holiday.day)
        .where(Holiday.cohort_id == cohort.id, Holiday.day >= ctx.today)
        .order_by(Holiday.day)
        .limit(5)
    )
    blocks: list[Block | str] = [Fields(f"{cohort.name} schedule", tuple(schedule_lines(cohort)))]
    if holidays:
        blocks.append("Upcoming holidays (nothing is sent): " + ", ".join(day(d) for d in holidays))
    blocks.append(
        Table(
            "Prompts since yesterday",
            ("prompt", "status", "count"),
            tuple((kind, status, str(n)) for kind, status, n in rows),
            empty="None yet.",
        )
    )
    mention = "on" if cohort.mention_missing else "off"
    blocks.append(
        t(
            "Mentioning members who have not checked in: {mention} "
            "(`/cohort settings mention-missing=on`).",
            mention=mention,
        )
    )
    return Reply.of(*blocks)


@commands.command(
    "cohort prompt",
    "Send a prompt now, e.g. to try the standup",
    params=[
        Param(
            "kind",
            ParamKind.CHOICE,
            "which prompt",
            required=True,
            positional=True,
            choices=tuple(SENDABLE),
            example="standup",
        ),
        Param("member", ParamKind.MEMBER, "only to this member"),
    ],
    role=Role.COACH,
    examples=[Example("/cohort prompt standup", "Queued", as_user="coach")],
    expensive=True,
)
async def prompt_now(ctx: Context, *, kind: str, member: MemberRef | None) -> Reply:
    cohort = ctx.require_cohort()
    prompt = SENDABLE[kind]
    now = ctx.now
    recipients: list[Member | None]
    if prompt in CHANNEL_KINDS:
        if not cohort.channel_id:
            raise UserError(
                "The cohort has no channel to post in.",
                hint=t("Set one with `/cohort settings channel=C0123`."),
            )
        recipients = [None]
    elif member is not None:
        recipients = [await ctx.find_member(member)]
    else:
        everyone = await ctx.repo.cohort_members(cohort.id)
        role = "coach" if prompt is Kind.DIGEST else "member"
        recipients = [
            m
            for m in everyone
            if m.role == role
            and (role == "coach" or receives_prompts(m, ctx.today_of(m) + timedelta(1)))
        ]
    if not recipients:
        raise UserError("Nobody would receive that prompt right now.")
    planned = [
        Planned(
            prompt,
            cohort.id,
            to.id if to else None,
            ctx.today_of(to) if to else ctx.today,
            now,
            now + timedelta(hours=12),
        )
        for to in recipients
    ]
    queued = await queue(ctx.repo, planned, now, key_suffix=f":now{now:%H%M%S%f}")
    ctx.outbox_written()
    return Reply.of(f"📨 Queued {queued} {kind} prompt{'s' if queued != 1 else ''} to go out now.")


@commands.command(
    "cohort holidays",
    "List, add or remove cohort holidays (no prompts on those days)",
    params=[
        Param("add", ParamKind.DATE, "a day to add", example="2026-12-24"),
        Param("remove", ParamKind.DATE, "a day to remove", example="2026-12-24"),
    ],
    role=Role.COACH,
    examples=[Example("/cohort holidays add=2026-12-24", "Holiday added", as_user="coach")],
)
async def holidays(ctx: Context, *, add: date | None, remove: date | None) -> Reply:
    cohort = ctx.require_cohort()
    lines = []
    if add is not None:
        if add < ctx.today:
            raise UsageError("That day has passed; add today or a later day.", param="add")
        exists = await ctx.repo.scalar(
            select(Holiday).where(Holiday.cohort_id == cohort.id, Holiday.day == add)
        )
        if exists is None:
            await ctx.repo.add(Holiday(cohort_id=cohort.id, day=add))
        lines.append(f"🏖️ Holiday added: {day(add)}.")
    if remove is not None:
        found = await ctx.repo.scalar(
            select(Holiday).where(Holiday.cohort_id == cohort.id, Holiday.day == remove)
        )
        if found is None:
            raise UserError(f"{day(remove)} is not a holiday.", param="remove")
        await ctx.repo.delete(found)
        lines.append(f"Removed the holiday on {day(remove)}.")
    if lines:
        ctx.schedule_changed()
    upcoming = await ctx.repo.scalars(
        select(Holiday.day)
        .where(Holiday.cohort_id == cohort.id, Holiday.day >= ctx.today)
        .order_by(Holiday.day)
    )
    listing = ", ".join(day(d) for d in upcoming) if upcoming else "none"
    return Reply.of(*lines, f"Upcoming holidays: {listing}.")
