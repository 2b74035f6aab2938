"""Small helpers the command modules share: ids as users see them, dates, shared parameters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot.domain.calendar import local_today
from bot.domain.scoring import Targets, WeekTotals, progress_bar
from bot.errors import UsageError, UserError
from bot.format import day, due_phrase, plural
from bot.params import Kind, Param
from bot.replies import Code, Reply, Text, t
from bot.services.changes import delete_log, describe
from bot.timeparse import Direction, format_minutes

if TYPE_CHECKING:
    from bot.context import Context


DATE_PAST = Param(
    "date",
    Kind.DATE,
    "the day it happened (default today)",
    direction=Direction.PAST,
    example="yesterday",
)
__all__ = ["day", "due_phrase", "plural"]  # shared formatting, re-exported for the commands

FOLLOW_UP = Param("follow-up", Kind.DATE, "when to follow up", example="fri")
FORCE = Param(
    "force",
    Kind.CHOICE,
    "yes saves it even though it looks like a duplicate or a wrong date",
    choices=("yes", "no"),
    example="yes",
)
MAX_DAYS_BACK = 60
"""A log dated further back than this is probably a typo: it is saved only with force=yes."""


def _confirm(message: str, param: str) -> UserError:
    return UserError(
        f"{message} Nothing was saved.",
        hint=Text("If it is right, send the same command again with ", Code("force=yes"), "."),
        param=param,
    )


def check_log_date(ctx: Context, typed: date | None, force: str | None, what: str = "it") -> date:
    """The day a log counts on: ``typed`` (``date=``) or today. A typed date in the future is
    refused; one more than 60 days back or before the member joined their cohort is probably a
    typo, saved only with ``force=yes``. (Today is never questioned.)"""
    today = ctx.today
    if typed is None:
        return today
    when = typed
    if when > today:
        raise UsageError(
            f"That date is in the future ({day(when)} {when.year}); "
            f"log {what} once it has happened.",
            hint="Leave out date= for today, or use e.g. date=yesterday.",
            param="date",
        )
    if force == "yes":
        return when
    if (today - when).days > MAX_DAYS_BACK:
        raise _confirm(
            f"{day(when)} {when.year} is {(today - when).days} days ago, more than "
            f"{MAX_DAYS_BACK}: is that the right date?",
            "date",
        )
    joined = local_today(ctx.member.joined_at, ctx.member.timezone)
    if ctx.cohort is not None and when < joined:
        raise _confirm(
            f"{day(when)} is before you joined {ctx.cohort.name} ({day(joined)}): "
            "is that the right date?",
            "date",
        )
    return when


def check_follow_up(ctx: Context, when: date | None, force: str | None) -> None:
    """A follow-up date in the past is probably a typo: only with ``force=yes``."""
    if when is not None and when < ctx.today and force != "yes":
        raise _confirm(
            f"The follow-up date {day(when)} {when.year} is in the past, so the reminder "
            "would never come: is that the right date?",
            "follow-up",
        )


def duplicate(what: str, match: str, on: date, param: str) -> UserError:
    """The reply to a probable duplicate: what it matches (id and date), how to save anyway."""
    return UserError(
        t(
            "This looks like {what} you already logged: {match}, on {on}. Nothing was saved.",
            what=what,
            match=match,
            on=f"{day(on)} {on.year}",
        ),
        hint=Text(
            "If it is another one, send the same command again with ",
            Code("force=yes"),
            "; to fix the first one, ",
            Code("/log"),
            " shows your logs by id.",
        ),
        param=param,
    )


def recent_window(on: date, days: int = 7) -> tuple[date, date]:
    """The days within ``days`` of ``on`` on either side (a duplicate's window)."""
    return on - timedelta(days=days - 1), on + timedelta(days=days - 1)


NEXT_STEP = Param("next", Kind.TEXT, "the next step", max_length=300, example='"send thank-you"')


def targets_rows(t: WeekTotals, targets: Targets) -> tuple[tuple[str, str, str], ...]:
    """A week against the targets, as (label, done/target, progress bar) rows."""
    hours = format_minutes(t.total_minutes) if t.total_minutes else "0h"
    return (
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
        ("Hours", f"{hours}/{targets.hours}h", progress_bar(t.total_minutes, targets.hours * 60)),
    )


def apply_changes(
    row: object, given: Mapping[str, Any], columns: Mapping[str, str] | None = None
) -> list[str]:
    """Set each given option on ``row``; the names of the options that changed.

    ``given`` maps option names (``follow-up``) to their values, None when left out; an option
    sets the column ``columns`` names for it, else the column of the same name. Raises a usage
    error when nothing was given, so "update" without options is never a no-op.
    """
    changed = [key for key, value in given.items() if value is not None]
    if not changed:
        raise UsageError('Say what to change, e.g. next="call back" or follow-up=fri.')
    for key in changed:
        column = (columns or {}).get(key, key.replace("-", "_"))
        setattr(row, column, given[key])
    return changed


async def delete_with_reply(ctx: Context, row: Any) -> Reply:
    """Delete one of the caller's logs (recorded, so ``/undo`` brings it back) and say so."""
    shown = describe(row)
    await delete_log(ctx.repo, ctx.member.id, ctx.now, row)
    return Reply.of(
        t(
            "🗑️ Deleted {shown}. Changed your mind? `/undo` brings it back for 15 minutes.",
            shown=shown,
        )
    )
