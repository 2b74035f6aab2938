"""Corrections with an audit trail: every log a member adds, edits or deletes is recorded.

A ``Change`` row keeps who, when, which row (its table and per-tenant number), the log's local
day and the row before and after as JSON. ``/undo`` reverts the caller's last change from it
(within ``UNDO_WINDOW``, once), and a coach's report counts the changes to a week made after
it closed.
"""

from __future__ import annotations

import json
from collections import Counter as Tally
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, inspect, select

from bot.entities import LOGS, Entity
from bot.errors import UserError
from bot.format import day as show_day
from bot.replies import t
from storage.models import Application, Change, Interview, StageChange, UTCDateTime
from storage.repository import TenantRepository

UNDO_WINDOW = timedelta(minutes=15)

ENTITY_OF_TABLE: dict[str, Entity[Any]] = {e.model.__tablename__: e for e in LOGS}
_SKIPPED = frozenset({"tenant_id"})
_STAGES = "_stage_changes"  # a deleted application keeps its stage history under this key
# How a column reads in a reply ("applied_on" -> "date").
_FIELD_NAMES = {
    "applied_on": "date",
    "contacted_on": "date",
    "day": "date",
    "next_step": "next",
    "follow_up": "follow-up",
    "minutes": "duration",
    "channel": "how",
}


def entity_of(row: object) -> Entity[Any]:
    return ENTITY_OF_TABLE[type(row).__tablename__]  # type: ignore[attr-defined]


def log_day(row: object) -> date:
    """The local day a log counts on."""
    for column in ("applied_on", "contacted_on", "day"):
        if hasattr(row, column):
            value: date = getattr(row, column)
            return value
    raise TypeError(f"{type(row).__name__} is not a log")


def snapshot(row: object) -> dict[str, Any]:
    """The row's columns as JSON-ready values (dates and instants as ISO text)."""
    mapper = inspect(type(row))
    out: dict[str, Any] = {}
    for column in mapper.local_table.columns:
        if column.name in _SKIPPED:
            continue
        value = getattr(row, mapper.get_property_by_column(column).key)
        out[column.name] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def _restore_value(model: type[Any], name: str, value: Any) -> Any:
    if value is None:
        return None
    column = model.__table__.c[name]
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def _build(model: type[Any], values: dict[str, Any]) -> Any:
    return model(
        **{k: _restore_value(model, k, v) for k, v in values.items() if not k.startswith("_")}
    )


def describe(row: object) -> str:
    """``A3 (Backend Engineer at Stripe (applied), Nov 18)``."""
    entity = entity_of(row)
    return f"{entity.label(row)} ({entity.describe(row)}, {show_day(log_day(row))})"


async def record(
    repo: TenantRepository,
    member_id: int,
    now: datetime,
    action: str,
    row: object,
    before: dict[str, Any] | None = None,
) -> Change:
    """Record that the member ``added``, ``edited`` or ``deleted`` ``row`` (``before``: its
    snapshot before an edit or a delete)."""
    entity = entity_of(row)
    after = None if action == "deleted" else snapshot(row)
    days = [log_day(row)]
    if before is not None:
        days.append(_restore_value(type(row), _day_column(row), before[_day_column(row)]))
    change = Change(
        member_id=member_id,
        at=now,
        action=action,
        kind=entity.model.__tablename__,
        number=row.number,  # type: ignore[attr-defined]
        day=min(days),
        before=json.dumps(before) if before is not None else "",
        after=json.dumps(after) if after is not None else "",
    )
    return await repo.add(change)


def _day_column(row: object) -> str:
    return next(c for c in ("applied_on", "contacted_on", "day") if hasattr(row, c))


async def _detach(repo: TenantRepository, application: Application) -> None:
    """What points at an application goes before it: its stage history (kept in the change
    record) and the link from interviews logged for it (the interviews stay)."""
    await repo.delete_where(StageChange, StageChange.application_id == application.id)
    await repo.update_where(
        Interview, Interview.application_id == application.id, application_id=None
    )


async def delete_log(repo: TenantRepository, member_id: int, now: datetime, row: Any) -> None:
    """Delete one of the member's logs, recording it (an application with its stage history)."""
    before = snapshot(row)
    if isinstance(row, Application):
        history = await repo.stage_history([row.id])
        before[_STAGES] = [snapshot(c) for c in history[row.id]]
        await _detach(repo, row)
    await record(repo, member_id, now, "deleted", row, before)
    await repo.delete(row)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [
        k
        for k in after
        if not k.startswith("_") and k not in ("updated_at",) and before.get(k) != after[k]
    ]


def _shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "nothing"
    if name in ("applied_on", "contacted_on", "day", "follow_up"):
        return show_day(date.fromisoformat(value))
    if name == "minutes":
        from bot.timeparse import format_minutes

        return format_minutes(int(value))
    return str(value)


async def undo_last(repo: TenantRepository, member_id: int, now: datetime) -> str:
    """Revert the member's last change (within ``UNDO_WINDOW``, once); what was undone."""
    last = await repo.scalar(
        select(Change)
        .where(Change.member_id == member_id)
        .order_by(Change.at.desc(), Change.id.desc())
        .limit(1)
    )
    if last is None:
        raise UserError(
            "You have no change to undo.",
            hint=t("`/undo` reverts your last log added, edited or deleted, for 15 minutes."),
        )
    entity = ENTITY_OF_TABLE[last.kind]
    label = f"{entity.prefix}{last.number}"
    if last.action == "undo" or last.undone_at is not None:
        raise UserError(
            f"Your last change (to {label}) was an undo; /undo reverts one change, once.",
            hint=t("Fix anything else by its id, e.g. `/delete {label}`.", label=label),
        )
    minutes = int((now - last.at).total_seconds() // 60)
    if now - last.at > UNDO_WINDOW:
        raise UserError(
            f"Your last change ({last.action} {label}) was {minutes} minutes ago; "
            "/undo works for 15 minutes.",
            hint=t(
                "Fix it by its id instead: `/log` lists your logs, `/delete {label}` deletes one.",
                label=label,
            ),
        )
    model: type[Any] = entity.model
    before = json.loads(last.before) if last.before else None
    after = json.loads(last.after) if last.after else None
    current = await repo.numbered(model, member_id, last.number, legacy=False)
    if last.action == "deleted":
        assert before is not None
        if current is not None:
            raise UserError(f"{label} exists again; there is nothing to bring back.")
        row = _build(model, before)
        row.tenant_id = None
        await repo.add(row)
        for stage in before.get(_STAGES, []):
            await repo.add(_build(StageChange, stage))
        message = f"↩️ Undid deleting {describe(row)}: it is back."
    elif current is None:
        raise UserError(f"{label} is gone already; there is nothing to undo.")
    elif last.action == "added":
        message = f"↩️ Undid adding {describe(current)}: it is deleted."
        if isinstance(current, Application):
            await _detach(repo, current)
        await repo.delete(current)
    else:
        assert before is not None and after is not None
        fields = changed_fields(before, after)
        for name in fields:
            setattr(current, name, _restore_value(model, name, before[name]))
        if "updated_at" in before:
            current.updated_at = now
        put_back = ", ".join(
            f"{_FIELD_NAMES.get(n, n)} back to {_shown(n, before[n])} (was {_shown(n, after[n])})"
            for n in fields
        )
        message = f"↩️ Undid your edit of {label}: {put_back or 'nothing had changed'}."
    last.undone_at = now
    await repo.add(
        Change(
            member_id=member_id,
            at=now,
            action="undo",
            kind=last.kind,
            number=last.number,
            day=last.day,
            before=last.after,
            after=last.before,
        )
    )
    await repo.flush()
    return message


async def late_changes(
    repo: TenantRepository, member_ids: Sequence[int], monday: date, closed_at: datetime
) -> dict[int, int]:
    """How many changes each member made to the week of ``monday`` after ``closed_at``."""
    if not member_ids:
        return {}
    rows = await repo.scalars(
        select(Change.member_id).where(
            Change.member_id.in_(member_ids),
            Change.day >= monday,
            Change.day <= monday + timedelta(days=6),
            Change.at >= closed_at,
        )
    )
    return dict(Tally(rows))
