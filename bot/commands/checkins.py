"""/standup and /retro: the daily check-in and the weekly review, as forms or typed options.

With no options they return the form (a modal on Slack and Discord, prompts in the console);
with options they store the answer. One answer per member per local day (standup) or week
(retro): answering again edits it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.commands.career import barriers_text
from bot.commands.common import day
from bot.commands.plan import plan_vs_actual
from bot.context import Context
from bot.domain.calendar import week_label, week_start
from bot.domain.prompt_rules import Kind as PromptKind
from bot.domain.prompt_rules import working_days
from bot.domain.vocab import CATEGORY_LABELS
from bot.entities import BARRIER
from bot.errors import UsageError
from bot.forms import RETRO_QUESTIONS, STANDUP_QUESTIONS, retro_form, standup_form
from bot.github.sync import standup_line
from bot.params import Kind, Param
from bot.progress import week_totals
from bot.registry import CommandSet, Example
from bot.replies import Form, Question, Reply, Text, t
from bot.services.prompts import alert_coaches
from bot.timeparse import format_minutes
from storage.models import OutboxMessage, RetroResponse, StandupResponse

commands = CommandSet()


def _params(questions: Sequence[Question]) -> list[Param]:
    """A form's questions as the command's options, so a form and a typed command validate alike."""
    return [
        Param(
            q.key,
            Kind.INTEGER if q.kind == "integer" else Kind.TEXT,
            q.label,
            max_length=q.max_length,
            minimum=q.minimum,
            maximum=q.maximum,
            example=q.placeholder and f'"{q.placeholder}"',
        )
        for q in questions
    ]


def _missing(questions: Sequence[Question], values: Mapping[str, object]) -> list[str]:
    return [q.key for q in questions if q.required and not str(values.get(q.key) or "").strip()]


@commands.command(
    "standup",
    "Today's check-in: yesterday, today, blockers (no options opens the form)",
    params=_params(STANDUP_QUESTIONS),
    examples=[
        Example(
            '/standup yesterday="sent 2 applications" today="mock interview" blockers=none',
            "Standup saved",
        ),
        Example("/standup", "Daily standup"),
    ],
)
async def standup(
    ctx: Context,
    *,
    yesterday: str | None,
    today: str | None,
    blockers: str | None,
    applications: int | None,
    outreach: int | None,
) -> Reply:
    keys = [q.key for q in STANDUP_QUESTIONS]
    answers: dict[str, str | int | None] = {
        "yesterday": yesterday,
        "today": today,
        "blockers": blockers,
        "applications": applications,
        "outreach": outreach,
    }
    given = {k: v for k, v in answers.items() if v is not None}
    existing = await ctx.repo.standup(ctx.member.id, ctx.today)
    if not given:
        if existing is not None:
            initial = {k: _str(getattr(existing, k)) for k in keys}
            intro = f"You already checked in for {day(ctx.today)}; submitting edits it."
        else:
            last = await ctx.repo.latest_standup(ctx.member.id, ctx.today)
            initial = {"yesterday": last.today} if last else {}
            intro = f"Check-in for {day(ctx.today)}."
        github = await standup_line(ctx.repo, ctx.member.id, ctx.today - timedelta(days=1))
        if github:
            intro += f" {github}."
        return Reply.of(standup_form(initial, intro))
    if existing is None:
        missing = _missing(STANDUP_QUESTIONS, given)
        if missing:
            raise UsageError(f"A standup needs {' and '.join(missing)}.", param=missing[0])
        assert yesterday is not None and today is not None  # required: checked just above
        await ctx.repo.add(
            StandupResponse(
                member_id=ctx.member.id,
                day=ctx.today,
                yesterday=yesterday,
                today=today,
                blockers=_blockers(blockers or ""),
                applications=applications,
                outreach=outreach,
                created_at=ctx.now,
                updated_at=ctx.now,
            )
        )
        verb = "saved"
    else:
        for key, value in given.items():
            if key in ("yesterday", "today") and not str(value).strip():
                raise UsageError(t("`{key}` can't be empty.", key=key), param=key)
            setattr(existing, key, _blockers(str(value)) if key == "blockers" else value)
        existing.updated_at = ctx.now
        verb = "updated"
    escalated = await _escalate_blockers(ctx)
    note = " Your coach has been told about your blocker." if escalated else ""
    if existing is None and await summary_posted(ctx, ctx.today):
        note += " (Marked late: today's summary has already gone out, but it still counts.)"
    return Reply.of(f"☀️ Standup {verb} for {day(ctx.today)}. Have a great day!{note}")


async def summary_posted(ctx: Context, on: date) -> datetime | None:
    """When the cohort's standup summary for ``on`` went out (answers after it are late)."""
    if ctx.cohort is None:
        return None
    return await ctx.repo.scalar(
        select(OutboxMessage.sent_at).where(
            OutboxMessage.cohort_id == ctx.cohort.id,
            OutboxMessage.kind == PromptKind.SUMMARY.value,
            OutboxMessage.local_day == on,
            OutboxMessage.status == "sent",
        )
    )


BLOCKER_DAYS = 3


async def _escalate_blockers(ctx: Context) -> bool:
    """A blocker reported three working days running goes to the coaches (once a day)."""
    cohort = ctx.cohort
    if cohort is None:
        return False
    working = working_days(cohort, ctx.today, BLOCKER_DAYS, within=21)
    if not working:
        return False
    answers = await ctx.repo.standups([ctx.member.id], min(working), ctx.today)
    blocked = {s.day for s in answers if s.blockers.strip()}
    if len(working) < BLOCKER_DAYS or not all(d in blocked for d in working):
        return False
    told = await alert_coaches(
        ctx.repo,
        cohort.id,
        PromptKind.BLOCKER,
        about=ctx.member.id,
        today=ctx.today,
        now=ctx.now,
        expires_at=ctx.now + timedelta(days=1),
        key_suffix=f":about-m{ctx.member.id}",
    )
    if told:
        ctx.outbox_written()
    return bool(told)


def _blockers(value: str) -> str:
    return "" if value.strip().lower() in ("none", "no", "-", "nothing", "n/a") else value.strip()


def _str(value: object) -> str:
    return "" if value is None else str(value)


@commands.command(
    "retro",
    "This week's review: what worked, what didn't, what to adjust (no options opens the form)",
    params=_params(RETRO_QUESTIONS),
    examples=[
        Example(
            '/retro worked="morning applications" didnt="too much LeetCode" '
            'adjust="cap practice at 2h"',
            "Retro saved",
        ),
        Example("/retro", "Weekly retro"),
    ],
)
async def retro(
    ctx: Context,
    *,
    worked: str | None,
    didnt: str | None,
    adjust: str | None,
    barriers: str | None,
) -> Reply:
    keys = [q.key for q in RETRO_QUESTIONS]
    answers = {"worked": worked, "didnt": didnt, "adjust": adjust, "barriers": barriers}
    given = {k: v for k, v in answers.items() if v is not None}
    monday = week_start(ctx.today)
    existing = await ctx.repo.retro(ctx.member.id, monday)
    if not given:
        return Reply.of(await _retro_form(ctx, existing, keys))
    if existing is None:
        missing = _missing(RETRO_QUESTIONS, given)
        if missing:
            raise UsageError(f"A retro needs {', '.join(missing)}.", param=missing[0])
        if "barriers" not in given:
            named = list(await ctx.repo.barriers(ctx.member.id))
            last = await ctx.repo.latest_retro(ctx.member.id)
            given["barriers"] = barriers_text(named) if named else (last.barriers if last else "")
        await ctx.repo.add(
            RetroResponse(
                member_id=ctx.member.id,
                week_start=monday,
                created_at=ctx.now,
                updated_at=ctx.now,
                **given,
            )
        )
        verb = "saved"
    else:
        for key, value in given.items():
            if key != "barriers" and not value.strip():
                raise UsageError(t("`{key}` can't be empty.", key=key), param=key)
            setattr(existing, key, value)
        existing.updated_at = ctx.now
        verb = "updated"
    lines: list[str | Text] = [
        f"🔁 Retro {verb} for the week of {week_label(monday)}. See you next week!"
    ]
    current = await ctx.repo.barriers(ctx.member.id)
    if current:
        shown = "; ".join(f"{BARRIER.label(b)} {b.barrier}" for b in current)
        lines.append(
            t(
                "Your barriers: {shown}. Overcome one? `/barrier remove {id}`.",
                shown=shown,
                id=BARRIER.label(current[0]),
            )
        )
    return Reply.of(*lines)


async def _retro_form(ctx: Context, existing: RetroResponse | None, keys: list[str]) -> Form:
    """The retro form, its intro showing the week so far (and where it fell behind the plan)."""
    totals = (await week_totals(ctx.repo, [ctx.member], ctx.now))[ctx.member.id]
    targets = ctx.targets()
    intro = (
        f"Your week: {totals.applications}/{targets.applications} applications, "
        f"{totals.outreach}/{targets.outreach} outreach, "
        f"{totals.practice_days}/{targets.practice_days} practice days, "
        f"{format_minutes(totals.total_minutes) if totals.total_minutes else '0h'}"
        f"/{targets.hours}h."
    )
    initial: dict[str, str]
    if existing is not None:
        initial = {k: getattr(existing, k) for k in keys}
    else:
        named = list(await ctx.repo.barriers(ctx.member.id))
        last = await ctx.repo.latest_retro(ctx.member.id)
        initial = {"barriers": last.barriers} if last else {}
        if named:
            initial = {"barriers": barriers_text(named)}
    behind = [
        f"{CATEGORY_LABELS[c.category]} {format_minutes(c.gap)}"
        for c in await plan_vs_actual(ctx, ctx.member, week_start(ctx.today)) or []
        if c.gap >= 60
    ]
    if behind:
        intro += " Behind your planned week: " + ", ".join(behind) + "."
    form = retro_form(initial, intro)
    if initial.get("barriers"):
        form = replace(form, intro=intro + " Revisit your barriers below.")
    return form
