"""Putting prompts in the outbox: the scheduler's plan and a command's "send now" alike.

A row's key makes writing it twice a no-op; a prompt queued by a command (``/cohort prompt``, a
blocker alert) gets a suffix of its own so it never collides with the scheduled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, or_, select

from bot.domain.calendar import week_start
from bot.domain.prompt_rules import Kind, Planned
from bot.services.followups import due_followups
from storage.models import Member, Skip, StandupResponse
from storage.outbox import PENDING
from storage.repository import TenantRepository


def outbox_row(
    tenant_id: int,
    planned: Planned,
    now: datetime,
    *,
    key_suffix: str = "",
    subject_id: int | None = None,
) -> dict[str, Any]:
    """The outbox row for one planned prompt (``subject_id``: the member a coach alert is about)."""
    return {
        "tenant_id": tenant_id,
        "cohort_id": planned.cohort_id,
        "member_id": planned.member_id,
        "subject_id": subject_id,
        "kind": planned.kind.value,
        "key": planned.key + key_suffix,
        "local_day": planned.local_day,
        "due_at": planned.due_at,
        "expires_at": planned.expires_at,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": planned.due_at,
        "claimed_by": "",
        "message_ref": "",
        "last_error": "",
        "created_at": now,
    }


async def queue(
    repo: TenantRepository,
    planned: Sequence[Planned],
    now: datetime,
    *,
    key_suffix: str = "",
    subject_id: int | None = None,
) -> int:
    """Queue prompts inside the caller's transaction; returns how many were new."""
    rows = [
        outbox_row(repo.tenant_id, p, now, key_suffix=key_suffix, subject_id=subject_id)
        for p in planned
    ]
    return await repo.enqueue_prompts(rows) if rows else 0


async def alert_coaches(
    repo: TenantRepository,
    cohort_id: int,
    kind: Kind,
    *,
    about: int,
    today: date,
    now: datetime,
    expires_at: datetime,
    key_suffix: str,
) -> int:
    """Queue a ``kind`` DM about member ``about`` to every coach of the cohort; how many."""
    coaches = [m for m in await repo.cohort_members(cohort_id) if m.role == "coach"]
    planned = [Planned(kind, cohort_id, coach.id, today, now, expires_at) for coach in coaches]
    if not planned:
        return 0
    await queue(repo, planned, now, key_suffix=key_suffix, subject_id=about)
    return len(planned)


async def answered(repo: TenantRepository, member_id: int, day: date) -> bool:
    """Checked in or skipped ``day`` (one query: it runs for every standup and reminder)."""
    did = exists().where(StandupResponse.member_id == member_id, StandupResponse.day == day)
    skipped = exists().where(Skip.member_id == member_id, Skip.day == day)
    return bool(await repo.scalar(select(or_(did, skipped))))


async def nothing_to_send(
    repo: TenantRepository, kind: Kind, member: Member, day: date
) -> str | None:
    """Why a member's ``kind`` prompt for ``day`` would be dropped when it is rendered (the
    renderers' own checks, in words for a coach), or None when it would be sent."""
    if kind in (Kind.STANDUP, Kind.REMINDER) and await answered(repo, member.id, day):
        return "already checked in or skipped today"
    if kind is Kind.FOLLOWUPS and not await due_followups(repo, member.id, day):
        return "nothing due to follow up"
    if kind is Kind.RETRO and await repo.retro(member.id, week_start(day)) is not None:
        return "already did this week's retro"
    return None
