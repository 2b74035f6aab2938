"""Small helpers the command modules share: ids as users see them, dates, shared parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.domain.scoring import Targets, WeekTotals, progress_bar
from bot.errors import UsageError
from bot.format import day, due_phrase, plural
from bot.params import Kind, Param
from bot.timeparse import Direction, format_minutes

if TYPE_CHECKING:
    pass


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
