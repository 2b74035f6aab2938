"""/log, /edit, /delete and /undo: see every log by its id, correct it, or take the last change
back. Every change is recorded (``bot.services.changes``) with who and when."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.commands.common import DATE_PAST, FORCE, check_log_date, day, delete_with_reply
from bot.context import Context
from bot.domain.vocab import CATEGORIES, CATEGORY_LABELS
from bot.entities import APPLICATION, CONTACT, HOURS, PRACTICE, ref
from bot.errors import UsageError, UserError
from bot.params import Kind, Param
from bot.registry import CommandSet, Example
from bot.replies import Reply, Table, t
from bot.services.changes import (
    entity_of,
    log_day,
    record,
    snapshot,
    undo_last,
)
from bot.timeparse import format_minutes
from storage.models import Application, Contact, HourLog, PracticeLog

commands = CommandSet()

KINDS = ("applications", "contacts", "practice", "hours")
DEFAULT_LIMIT = 15
LOG_ID = ref(
    APPLICATION,
    CONTACT,
    PRACTICE,
    HOURS,
    what="a log",
    help="the log's id: A12, C7, P3 or H2",
    hint="See your logs with their ids with `/log`.",
    missing="You have no log {id}.",
)


def _what(row: Any) -> str:
    if isinstance(row, Application):
        return f"{row.role} at {row.company} ({row.stage})"
    if isinstance(row, Contact):
        return row.name + (f" at {row.company}" if row.company else "") + f" ({row.channel})"
    if isinstance(row, PracticeLog):
        source = "" if row.source == "manual" else f" [{row.source}]"
        return f"{format_minutes(row.minutes)} practice {row.what}".strip() + source
    return f"{format_minutes(row.minutes)} {CATEGORY_LABELS[row.category]} {row.note}".strip()


@commands.command(
    "log",
    "Your latest logs of every kind with their ids, newest first, to edit or delete",
    params=[
        Param("kind", Kind.CHOICE, "only this kind", choices=KINDS),
        Param("limit", Kind.INTEGER, "how many (default 15)", minimum=1, maximum=100, example="30"),
    ],
    examples=[Example("/log", "Your latest logs"), Example("/log kind=practice", "P1")],
    details=t(
        "Correct one with `/edit ID` (its date, duration, text), delete it with `/delete ID`, "
        "or take your last change back with `/undo`."
    ),
)
async def log(ctx: Context, *, kind: str | None, limit: int | None) -> Reply:
    n = limit or DEFAULT_LIMIT
    me = ctx.member.id
    rows: list[Any] = []
    if kind in (None, "applications"):
        rows += await ctx.repo.applications(me, limit=n)
    if kind in (None, "contacts"):
        rows += await ctx.repo.contacts(me, limit=n)
    if kind in (None, "practice"):
        rows += await ctx.repo.scalars(
            select(PracticeLog)
            .where(PracticeLog.member_id == me)
            .order_by(PracticeLog.day.desc(), PracticeLog.id.desc())
            .limit(n)
        )
    if kind in (None, "hours"):
        rows += await ctx.repo.scalars(
            select(HourLog)
            .where(HourLog.member_id == me)
            .order_by(HourLog.day.desc(), HourLog.id.desc())
            .limit(n)
        )
    rows.sort(key=lambda r: (log_day(r), r.created_at, r.number), reverse=True)
    shown = rows[:n]
    return Reply.of(
        Table(
            f"Your latest logs ({len(shown)})",
            ("id", "date", "what"),
            tuple((_label(r), day(log_day(r)), _what(r)) for r in shown),
            empty="Nothing logged yet. Start with /practice 30m or /apply.",
        ),
        t("`/edit ID date=...` corrects one, `/delete ID` deletes one, `/undo` your last change."),
    )


def _label(row: Any) -> str:
    return entity_of(row).label(row)


def _not_synced(row: Any) -> None:
    if isinstance(row, PracticeLog) and row.source == "github":
        raise UserError(
            f"{PRACTICE.label(row)} comes from your GitHub commits; it is read again every hour.",
            hint=t("Stop counting GitHub commits with `/github unlink`."),
        )


@commands.command(
    "delete",
    "Delete one of your logs by its id (A12, C7, P3, H2); /undo brings it back",
    params=[LOG_ID],
    examples=[Example("/delete P1", "Deleted P1")],
)
async def delete(ctx: Context, *, id: Application | Contact | PracticeLog | HourLog) -> Reply:
    _not_synced(id)
    return await delete_with_reply(ctx, id)


# Which options each kind of log takes, and the column each sets.
_EDITABLE: dict[type[Any], dict[str, str]] = {
    Application: {"date": "applied_on"},
    Contact: {"date": "contacted_on"},
    PracticeLog: {"date": "day", "duration": "minutes", "what": "what", "link": "link"},
    HourLog: {"date": "day", "duration": "minutes", "category": "category", "note": "note"},
}


@commands.command(
    "edit",
    "Correct one of your logs: its date, and a practice or hours log's duration and text",
    params=[
        LOG_ID,
        DATE_PAST,
        Param("duration", Kind.DURATION, "how long (practice, hours)", example="45m"),
        Param("what", Kind.TEXT, "what you practised (practice)", max_length=300),
        Param("link", Kind.URL, "a link (practice)"),
        Param("category", Kind.CHOICE, "the category (hours)", choices=CATEGORIES),
        Param("note", Kind.TEXT, "what you did (hours)", max_length=300),
        FORCE,
    ],
    examples=[
        Example("/edit P1 duration=45m", "Updated P1: duration"),
        Example("/edit A1 date=today", "Updated A1: date"),
    ],
    details=t(
        "Applications and contacts change their other details with `/app update` and "
        "`/contact update`."
    ),
)
async def edit(
    ctx: Context,
    *,
    id: Application | Contact | PracticeLog | HourLog,
    date: date | None,
    duration: int | None,
    what: str | None,
    link: str | None,
    category: str | None,
    note: str | None,
    force: str | None,
) -> Reply:
    _not_synced(id)
    given = {
        "date": date,
        "duration": duration,
        "what": what,
        "link": link,
        "category": category,
        "note": note,
    }
    allowed = _EDITABLE[type(id)]
    label = _label(id)
    wrong = [k for k, v in given.items() if v is not None and k not in allowed]
    if wrong:
        other = {Application: "app update", Contact: "contact update"}.get(type(id))
        raise UsageError(
            t(
                "{label} has no {wrong}; it takes {allowed}.",
                label=label,
                wrong=", ".join(f"{k}=" for k in wrong),
                allowed=", ".join(f"{k}=" for k in allowed),
            ),
            hint=t("Change its other details with `/{other} {label}`.", other=other, label=label)
            if other
            else "",
            param=wrong[0],
        )
    changed = [k for k, v in given.items() if v is not None]
    if not changed:
        raise UsageError(t("Say what to change, e.g. `/edit {label} date=yesterday`.", label=label))
    check_log_date(ctx, date, force)
    before = snapshot(id)
    for key in changed:
        setattr(id, allowed[key], given[key])
    if hasattr(id, "updated_at"):
        id.updated_at = ctx.now
    await record(ctx.repo, ctx.member.id, ctx.now, "edited", id, before)
    return Reply.of(
        t(
            "✏️ Updated {label}: {changed}. Now: {what}, {on}. (`/undo` reverts it for 15 minutes.)",
            label=label,
            changed=", ".join(changed),
            what=_what(id),
            on=day(log_day(id)),
        )
    )


@commands.command(
    "undo",
    "Take back your last change (a log added, edited or deleted) within 15 minutes",
    examples=[Example("/undo", "Undid adding", before=(("alice", "/practice 20m katas"),))],
)
async def undo(ctx: Context) -> Reply:
    return Reply.of(await undo_last(ctx.repo, ctx.member.id, ctx.now))
