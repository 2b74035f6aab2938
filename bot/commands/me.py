"""/me: your profile: time zone, search status (searching, hired, paused), leaderboard choice."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.commands.common import day
from bot.context import Context
from bot.domain.vocab import LEADERBOARD_MODES, STATUSES
from bot.errors import UsageError
from bot.params import Kind, Param
from bot.progress import effective_status
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, t
from storage.models import Pause

commands = CommandSet()


@commands.command(
    "me",
    "Show or change your time zone, status and leaderboard visibility",
    params=[
        Param("timezone", Kind.TIMEZONE, "your time zone", example="Europe/Berlin"),
        Param(
            "status", Kind.CHOICE, "searching, hired or paused", choices=STATUSES, example="paused"
        ),
        Param("until", Kind.DATE, "last day of a pause", example="2026-12-31"),
        Param(
            "leaderboard",
            Kind.CHOICE,
            "how you appear on the leaderboard",
            choices=LEADERBOARD_MODES,
            example="anonymous",
        ),
        Param("name", Kind.TEXT, "the name the bot shows", max_length=80, example="Alice"),
    ],
    examples=[
        Example("/me", "Time zone"),
        Example("/me timezone=America/Chicago leaderboard=anonymous", "Updated timezone"),
        Example('/me status=paused until="in 7 days"', "Paused until"),
    ],
)
async def me(
    ctx: Context,
    *,
    timezone: str | None,
    status: str | None,
    until: date | None,
    leaderboard: str | None,
    name: str | None,
) -> Reply:
    m = ctx.member
    changed: list[str] = []
    if until is not None and status != "paused":
        raise UsageError(
            t("`until=` goes with status=paused."),
            hint="e.g. /me status=paused until=2026-12-31",
            param="until",
        )
    if timezone:
        m.timezone = timezone
        changed.append("timezone")
    if leaderboard:
        m.leaderboard = leaderboard
        changed.append("leaderboard")
    if name:
        m.rename(name.strip())
        changed.append("name")
    if status:
        await _set_status(ctx, status, until)
        changed.append("status")
    now_status = effective_status(m, ctx.today)
    shown = now_status if now_status != "paused" else f"paused until {day(m.paused_until)}"
    profile = Fields(
        "Your profile",
        (
            ("Name", m.display_name),
            ("Cohort", ctx.cohort.name if ctx.cohort else "(none yet: /cohort join NAME)"),
            ("Role", m.role),
            ("Time zone", m.timezone),
            ("Status", shown),
            ("Leaderboard", m.leaderboard),
        ),
    )
    if not changed:
        return Reply.of(profile)
    if "timezone" in changed or "status" in changed:
        ctx.schedule_changed()
    lead = f"✅ Updated {', '.join(changed)}."
    if status == "paused":
        lead += f" Paused until {day(m.paused_until)}: no prompts, and your streak is safe."
    return Reply.of(lead, profile)


async def _set_status(ctx: Context, status: str, until: date | None) -> None:
    """Change the member's search status; a pause is recorded (its days keep the streak)."""
    m = ctx.member
    today = ctx.today
    if status == "paused":
        if until is None:
            raise UsageError(
                "Say until when you are paused.",
                hint="e.g. /me status=paused until=2026-12-31",
                param="until",
            )
        if until < today:
            raise UsageError("A pause has to end today or later.", param="until")
        if until > today + timedelta(days=366):
            raise UsageError("A pause can last a year at most.", param="until")
        await ctx.repo.add(Pause(member_id=m.id, start_day=today, end_day=until))
        m.paused_until = until
    else:
        if effective_status(m, today) == "paused":
            await _end_pause(ctx)
        m.paused_until = None
    m.status = status


async def _end_pause(ctx: Context) -> None:
    """Ending a pause early: today counts normally again (it is shortened to yesterday)."""
    rows = await ctx.repo.scalars(
        select(Pause).where(
            Pause.member_id == ctx.member.id,
            Pause.start_day <= ctx.today,
            Pause.end_day >= ctx.today,
        )
    )
    for pause in rows:
        if pause.start_day == ctx.today:
            await ctx.repo.delete(pause)
        else:
            pause.end_day = ctx.today - timedelta(days=1)
