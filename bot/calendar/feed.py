"""One member's calendar, for the ``/calendar file`` download and the private subscription URL.

Subscription tokens are ``secrets.token_urlsafe(32)``; only their SHA-256 is stored, so a copy
of the database does not leak working calendar links.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.calendar.ics import FollowUp, Routine, build_calendar
from bot.calendar.template import planned_week
from bot.domain.calendar import local_today
from bot.domain.vocab import CLOSED_STAGES
from bot.entities import APPLICATION, CONTACT
from storage.models import CalendarToken, Cohort, Holiday, Member
from storage.repository import CalendarTokenDirectory, TenantRepository
from storage.scope import system_session

if TYPE_CHECKING:
    from bot.app import App

PUBLIC_URL_ENV = "OFFERBOUND_PUBLIC_URL"
FEED_PATH = "/calendar/{token}.ics"
FEED_ROUTE = "/calendar/{token:[A-Za-z0-9_-]+}.ics"  # the HTTP route (aiohttp syntax)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_url(settings: Any) -> str | None:
    """Where the HTTP server is reachable from the internet (the Slack HTTP-mode address)."""
    url = getattr(settings, "public_url", None) or os.environ.get(PUBLIC_URL_ENV, "")
    return url.rstrip("/") or None


def feed_url(base: str, token: str) -> str:
    return base + FEED_PATH.format(token=token)


async def member_calendar(
    repo: TenantRepository, member: Member, cohort: Cohort | None, now: datetime
) -> bytes:
    """The member's planned week, check-ins and open follow-ups as iCalendar bytes."""
    blocks, _ = await planned_week(repo, member.id)
    routine = None
    if cohort is not None:
        days = tuple(int(d) for d in cohort.standup_days.split(",") if d.strip())
        holidays = await repo.scalars(select(Holiday.day).where(Holiday.cohort_id == cohort.id))
        routine = Routine(
            cohort.standup_time, days, cohort.retro_day, cohort.retro_time, tuple(holidays)
        )
    followups = [
        FollowUp(
            f"followup-a{a.number}",
            a.follow_up,
            f"Follow up: {a.role} at {a.company}",
            a.next_step or f"Application {APPLICATION.label(a)} ({a.stage})",
        )
        for a in await repo.applications(member.id)
        if a.follow_up is not None and a.stage not in CLOSED_STAGES
    ] + [
        FollowUp(
            f"followup-c{c.number}",
            c.follow_up,
            f"Follow up: {c.name}" + (f" ({c.company})" if c.company else ""),
            c.next_step or f"Contact {CONTACT.label(c)}",
        )
        for c in await repo.contacts(member.id)
        if c.follow_up is not None
    ]
    return build_calendar(
        owner=member.display_name,
        uid_domain=f"m{member.id}.t{member.tenant_id}.offerbound",
        timezone=member.timezone,
        blocks=blocks,
        routine=routine,
        followups=sorted(followups, key=lambda f: (f.day, f.uid)),
        starting=local_today(now, member.timezone),
        now=now,
    )


async def issue_token(repo: TenantRepository, member_id: int, now: datetime) -> str:
    """A new private token; any earlier one of this member stops working."""
    await revoke_tokens(repo, member_id, now)
    token = secrets.token_urlsafe(32)
    await repo.add(CalendarToken(member_id=member_id, token=hash_token(token), created_at=now))
    return token


async def revoke_tokens(repo: TenantRepository, member_id: int, now: datetime) -> int:
    return await repo.update_where(
        CalendarToken,
        CalendarToken.member_id == member_id,
        CalendarToken.revoked_at.is_(None),
        revoked_at=now,
    )


async def calendar_for_token(app: App, token: str) -> bytes | None:
    """The subscribed calendar, or None for an unknown or revoked token (the server says 404)."""
    now = app.clock.now()
    async with system_session(app.sessions) as session:
        found = await CalendarTokenDirectory(session).active(hash_token(token))
        if found is None:
            return None
        repo = TenantRepository(session, found.tenant_id)
        member = await repo.get(Member, found.member_id)
        if member is None:
            return None
        cohort = await repo.get(Cohort, member.cohort_id) if member.cohort_id else None
        return await member_calendar(repo, member, cohort, now)
