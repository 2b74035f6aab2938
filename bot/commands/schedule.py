"""/skip, /cohort schedule, /cohort prompt and /cohort holidays: the cohort's prompt rhythm."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from bot.commands.common import day
from bot.context import Context
from bot.domain.prompt_rules import (
    CHANNEL_KINDS,
    Kind,
    Planned,
    receives_prompts,
    schedule_lines,
    why_no_prompts,
)
from bot.errors import UsageError, UserError
from bot.params import Kind as ParamKind
from bot.params import MemberRef, Param
from bot.progress import effective_status
from bot.registry import CommandSet, Example, Role
from bot.replies import Block, ChannelRef, Fields, Reply, Table, t
from bot.services.prompts import nothing_to_send, queue
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
    examples=[Example("/cohort prompt standup", "Queued the standup for", as_user="coach")],
    expensive=True,
)
async def prompt_now(ctx: Context, *, kind: str, member: MemberRef | None) -> Reply:
    cohort = ctx.require_cohort()
    prompt = SENDABLE[kind]
    now = ctx.now
    what = PROMPT_NAMES[prompt]
    recipients: list[Member | None]
    left_out: list[tuple[Member, str]] = []
    if prompt in CHANNEL_KINDS:
        if not cohort.channel_id:
            raise UserError(
                f"Nothing is queued: the cohort has no channel to post the {what} in.",
                hint=t("Set one with `/cohort settings channel=C0123`."),
            )
        await _check_channel_post(ctx, prompt)
        recipients = [None]
    else:
        if member is not None:
            candidates = [await ctx.find_member(member)]
        else:
            role = "coach" if prompt is Kind.DIGEST else "member"
            candidates = [m for m in await ctx.repo.cohort_members(cohort.id) if m.role == role]
        recipients = []
        for m in candidates:
            why = await _why_not(ctx, prompt, m)
            if why is None:
                recipients.append(m)
            else:
                left_out.append((m, why))
    if not recipients:
        if not left_out:
            raise UserError(f"Nothing is queued: nobody in {cohort.name} would get the {what}.")
        raise UserError(
            f"Nothing is queued: nobody would get the {what} now ({_reasons(left_out)}).",
            hint="Paused, hired and unreachable members get no prompts; new members start the "
            "next working day.",
        )
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
    await queue(ctx.repo, planned, now, key_suffix=f":now{now:%H%M%S%f}")
    ctx.outbox_written()
    if recipients == [None]:
        assert cohort.channel_id
        head = t(
            "📨 Queued the {what} to {channel}; it goes out now.",
            what=what,
            channel=ChannelRef(cohort.channel_id),
        )
    else:
        people = [m for m in recipients if m is not None]
        head = t("📨 Queued the {what} for {who}; it goes out now.", what=what, who=_names(people))
    if left_out:
        head += f" Left out: {_reasons(left_out)}."
    return Reply.of(head)


PROMPT_NAMES = {
    Kind.STANDUP: "standup",
    Kind.REMINDER: "standup reminder",
    Kind.FOLLOWUPS: "follow-ups DM",
    Kind.RETRO: "retro",
    Kind.SUMMARY: "standup summary",
    Kind.RETRO_SUMMARY: "retro summary",
    Kind.LEADERBOARD: "leaderboard",
    Kind.DIGEST: "coach digest",
}
SHOWN_NAMES = 10


def _names(people: list[Member]) -> str:
    """``alice and bob``, or ``12 members`` when there are many."""
    if len(people) > SHOWN_NAMES:
        return f"{len(people)} members"
    names = [m.display_name for m in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _reasons(left_out: list[tuple[Member, str]]) -> str:
    shown = ", ".join(f"{m.display_name}: {why}" for m, why in left_out[:SHOWN_NAMES])
    more = len(left_out) - SHOWN_NAMES
    return shown + (f" and {more} more" if more > 0 else "")


async def _why_not(ctx: Context, prompt: Kind, m: Member) -> str | None:
    """Why ``m`` would not get ``prompt`` now (as the worker would decide), or None."""
    if prompt is Kind.DIGEST:
        return None if m.role == "coach" else "not a coach"
    # A member who joined today may be sent a prompt now: only the schedule waits a day.
    why = why_no_prompts(m, ctx.today_of(m) + timedelta(days=1))
    return why or await nothing_to_send(ctx.repo, prompt, m, ctx.today_of(m))


async def _check_channel_post(ctx: Context, prompt: Kind) -> None:
    """Refuse a channel post that would be dropped when rendered, saying why."""
    cohort = ctx.require_cohort()
    members = [m for m in await ctx.repo.cohort_members(cohort.id) if m.role == "member"]
    if prompt is Kind.SUMMARY and not any(receives_prompts(m, ctx.today) for m in members):
        why = "; ".join(
            f"{m.display_name}: {why_no_prompts(m, ctx.today)}" for m in members[:SHOWN_NAMES]
        )
        raise UserError(
            "Nothing is queued: nobody is due a check-in today, so there is no standup summary "
            f"to post ({why or 'the cohort has no members'}).",
            hint="New members start the next working day; paused and hired members are left out.",
        )
    if prompt is Kind.RETRO_SUMMARY and not any(
        effective_status(m, ctx.today) == "searching" for m in members
    ):
        raise UserError(
            "Nothing is queued: nobody in the cohort is searching, so there is no retro summary."
        )


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
