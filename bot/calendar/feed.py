"""One member's calendar, for the ``/calendar file`` download and the private subscription URL.

Subscription tokens are ``secrets.token_urlsafe(32)``; only their SHA-256 is stored, so a copy
of the database does not leak working calendar links.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.calendar.ics import FollowUp, Routine, build_calendar
from bot.calendar.template import PlannedBlock, planned_week
from bot.domain.calendar import local_today
from bot.entities import APPLICATION, CONTACT
from bot.ratelimit import Rate, RateLimiter
from storage.models import CalendarToken, Cohort, Holiday, Member
from storage.repository import CalendarTokenDirectory, TenantRepository
from storage.scope import system_session

if TYPE_CHECKING:
    from bot.app import App

PUBLIC_URL_ENV = "OFFERBOUND_PUBLIC_URL"
FEED_PATH = "/calendar/{token}.ics"
FEED_ROUTE = "/calendar/{token:[A-Za-z0-9_-]+}.ics"  # the HTTP route (aiohttp syntax)
MAX_FOLLOWUPS = 500  # follow-up events in one calendar, soonest first
MAX_HOLIDAYS = 100
FOLLOWUPS_BACK = timedelta(days=30)  # overdue follow-ups still shown
FOLLOWUPS_AHEAD = timedelta(days=365)
FEED_RATE = Rate(per_minute=6, burst=10)  # calendar apps poll every few hours; people refresh
FEED_CACHE_SIZE = 1000  # calendars kept built in memory


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_url(settings: Any) -> str | None:
    """Where the HTTP server is reachable from the internet (the Slack HTTP-mode address)."""
    url = getattr(settings, "public_url", None) or os.environ.get(PUBLIC_URL_ENV, "")
    return url.rstrip("/") or None


def feed_url(base: str, token: str) -> str:
    return base + FEED_PATH.format(token=token)


@dataclass(frozen=True)
class CalendarFacts:
    """Everything one member's calendar shows: read from the database in a few bounded
    queries, then turned into iCalendar off the event loop. Equal facts give an equal file."""

    owner: str
    uid_domain: str
    timezone: str
    blocks: tuple[PlannedBlock, ...]
    routine: Routine | None
    followups: tuple[FollowUp, ...]
    starting: date

    def version(self) -> str:
        """A fingerprint of the facts: the feed rebuilds a cached file only when it changes."""
        return hashlib.sha256(repr(self).encode()).hexdigest()


async def calendar_facts(
    repo: TenantRepository, member: Member, cohort: Cohort | None, now: datetime
) -> CalendarFacts:
    """What the member's calendar shows: the planned week, check-ins and open follow-ups (at
    most ``MAX_FOLLOWUPS``, from a month back to a year ahead, soonest first)."""
    today = local_today(now, member.timezone)
    blocks, _ = await planned_week(repo, member.id)
    routine = None
    if cohort is not None:
        days = tuple(int(d) for d in cohort.standup_days.split(",") if d.strip())
        holidays = await repo.scalars(
            select(Holiday.day)
            .where(Holiday.cohort_id == cohort.id, Holiday.day >= today - FOLLOWUPS_BACK)
            .order_by(Holiday.day)
            .limit(MAX_HOLIDAYS)
        )
        routine = Routine(
            cohort.standup_time, days, cohort.retro_day, cohort.retro_time, tuple(holidays)
        )
    first, last = today - FOLLOWUPS_BACK, today + FOLLOWUPS_AHEAD
    apps, contacts = await repo.due_followups(member.id, last, since=first, limit=MAX_FOLLOWUPS)
    followups = [
        FollowUp(
            f"followup-a{a.number}",
            a.follow_up,
            f"Follow up: {a.role} at {a.company}",
            a.next_step or f"Application {APPLICATION.label(a)} ({a.stage})",
        )
        for a in apps
        if a.follow_up is not None
    ] + [
        FollowUp(
            f"followup-c{c.number}",
            c.follow_up,
            f"Follow up: {c.name}" + (f" ({c.company})" if c.company else ""),
            c.next_step or f"Contact {CONTACT.label(c)}",
        )
        for c in contacts
        if c.follow_up is not None
    ]
    followups.sort(key=lambda f: (f.day, f.uid))
    return CalendarFacts(
        owner=member.display_name,
        uid_domain=f"m{member.id}.t{member.tenant_id}.offerbound",
        timezone=member.timezone,
        blocks=tuple(blocks),
        routine=routine,
        followups=tuple(followups[:MAX_FOLLOWUPS]),
        starting=today,
    )


async def render_calendar(facts: CalendarFacts, now: datetime) -> bytes:
    """The iCalendar file for ``facts``, built in a worker thread (not on the event loop)."""
    return await asyncio.to_thread(
        build_calendar,
        owner=facts.owner,
        uid_domain=facts.uid_domain,
        timezone=facts.timezone,
        blocks=list(facts.blocks),
        routine=facts.routine,
        followups=list(facts.followups),
        starting=facts.starting,
        now=now,
    )


async def member_calendar(
    repo: TenantRepository, member: Member, cohort: Cohort | None, now: datetime
) -> bytes:
    """The member's planned week, check-ins and open follow-ups as iCalendar bytes."""
    return await render_calendar(await calendar_facts(repo, member, cohort, now), now)


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


class CalendarFeed:
    """Serves subscription feeds: bounded, built off the event loop, cached per token and
    data version, and rate-limited per token (anyone holding a link may poll it)."""

    def __init__(self, app: App, rate: Rate = FEED_RATE) -> None:
        self.app = app
        self.limiter = RateLimiter(rate)
        self._cache: OrderedDict[str, tuple[str, bytes]] = OrderedDict()

    async def get(self, token: str) -> bytes | None:
        """The calendar for ``token``, or None for an unknown or revoked one (a 404).

        Raises ``TooMany`` with the seconds to wait when the token asks too often.
        """
        key = hash_token(token)
        wait = self.limiter.allow(key)
        if wait > 0:
            raise TooMany(wait)
        now = self.app.clock.now()
        async with system_session(self.app.sessions) as session:
            found = await CalendarTokenDirectory(session).active(key)
            if found is None:
                self._cache.pop(key, None)
                return None
            repo = TenantRepository(session, found.tenant_id)
            member = await repo.get(Member, found.member_id)
            if member is None:
                return None
            cohort = await repo.get(Cohort, member.cohort_id) if member.cohort_id else None
            facts = await calendar_facts(repo, member, cohort, now)
        version = facts.version()
        cached = self._cache.get(key)
        if cached is not None and cached[0] == version:
            self._cache.move_to_end(key)
            return cached[1]
        body = await render_calendar(facts, now)
        self._cache[key] = (version, body)
        while len(self._cache) > FEED_CACHE_SIZE:
            self._cache.popitem(last=False)
        return body


class TooMany(Exception):
    """A calendar link asked again too soon; ``after`` says when it may."""

    def __init__(self, after: float) -> None:
        super().__init__(after)
        self.after = after


async def calendar_for_token(app: App, token: str) -> bytes | None:
    """The subscribed calendar, or None for an unknown or revoked token (no cache, no limit)."""
    return await CalendarFeed(app).get(token)
