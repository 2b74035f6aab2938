"""Small helpers the command modules share: ids as users see them, dates, shared parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from bot.domain.scoring import Targets, WeekTotals, progress_bar
from bot.errors import UsageError
from bot.format import day, due_phrase, plural
from bot.params import Kind, Param
from bot.timeparse import Direction, format_minutes
from storage.models import Numbered

if TYPE_CHECKING:
    from bot.context import Context

N = TypeVar("N", bound=Numbered)

# Until then an id from before numbers were per workspace (migration 0005) still finds its row,
# with a note saying its new id.
LEGACY_IDS_UNTIL = date(2027, 6, 30)

DATE_PAST = Param(
    "date",
    Kind.DATE,
    "the day it happened (default today)",
    direction=Direction.PAST,
    example="yesterday",
)
__all__ = ["day", "due_phrase", "plural"]  # shared formatting, re-exported for the commands

FOLLOW_UP = Param("follow-up", Kind.DATE, "when to follow up", example="fri")
NEXT_STEP = Param("next", Kind.TEXT, "the next step", max_length=300, example='"send thank-you"')


def item_id(raw: str, prefix: str, noun: str) -> int:
    """Parse ``A12`` / ``a12`` / ``12`` into 12 for items shown with ``prefix``."""
    m = re.fullmatch(rf"(?:{prefix})?#?(\d{{1,12}})", raw.strip(), re.IGNORECASE)
    if not m:
        raise UsageError(f"`{raw[:30]}` is not {noun} id; ids look like {prefix}12.")
    return int(m[1])


def label(prefix: str, number: int) -> str:
    """How users see a numbered row: ``A12`` (its per-tenant number, never the primary key)."""
    return f"{prefix}{number}"


async def numbered_item(ctx: Context, model: type[N], prefix: str, number: int) -> N | None:
    """The caller's row shown as ``prefix``+``number``, or found by its old id (with a note)."""
    found = await ctx.repo.numbered(
        model, ctx.member.id, number, legacy=ctx.today <= LEGACY_IDS_UNTIL
    )
    if found is not None and found.number != number:
        ctx.notice(
            f"ℹ️ {label(prefix, number)} is now {label(prefix, found.number)}; "
            f"old ids work until {LEGACY_IDS_UNTIL.isoformat()}."
        )
    return found


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
