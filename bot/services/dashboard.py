"""The web dashboard's read model: who is signed in, what they may see, and the figures to show.

Pages go through the same rules as chat: a signed-in identity (platform, workspace or guild,
user) is resolved to a tenant and a member exactly as a command's would be, every read goes
through that tenant's ``TenantRepository``, and the roles are the commands' roles: a coach sees
their cohort and its members, a member sees only their own page. Figures come from
``bot.progress`` and ``bot.services.figures``, the functions ``/cohort report``, ``/stats`` and
``/dashboard`` use, so the page and the chat never disagree. The web layer (``offerbound``)
only renders the dataclasses returned here.

Sign-in links (``offerbound dashboard link``) are ``secrets.token_urlsafe(32)`` tokens kept only
as their SHA-256, good once and for ``LINK_LIFETIME``.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.calendar.feed import hash_token
from bot.domain.calendar import local_today, week_label, week_start
from bot.domain.scoring import Targets, WeekTotals
from bot.entities import APPLICATION, CONTACT
from bot.progress import effective_status, member_streak, streaks, week_totals
from bot.services.figures import targets_of
from bot.services.followups import due_followups
from bot.timeparse import format_minutes
from storage.models import (
    Application,
    Cohort,
    Contact,
    DashboardLink,
    Member,
    StandupResponse,
    Tenant,
)
from storage.repository import DashboardLinkDirectory, TenantRepository
from storage.scope import system_session
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.clock import Clock
    from bot.locks import Slots

LINK_LIFETIME = timedelta(minutes=15)
RECENT = 10  # recent applications and contacts on a member's page
SORTS = ("name", "applications", "outreach", "practice", "hours", "streak", "status", "checkin")


class Forbidden(Exception):
    """The signed-in person may not see this page (a 403 that names nothing)."""


class NotFound(Exception):
    """No such page for the signed-in person's tenant (a 404 that names nothing)."""


class LinkError(Exception):
    """A sign-in link cannot be made; the message says why (for the command line)."""


@dataclass(frozen=True)
class Identity:
    """Who a dashboard session belongs to: the same triple an invocation carries, so a session
    made by a future "Sign in with Slack" or Discord OAuth2 is resolved exactly the same way."""

    platform: str
    tenant: str  # the workspace, guild or console's external id
    user: str  # the platform user id


@dataclass(frozen=True)
class Viewer:
    identity: Identity
    member_id: int
    name: str
    coach: bool
    cohort: str | None


@dataclass(frozen=True)
class Figure:
    """One week figure against its target, as the report prints it (``3/10``)."""

    label: str
    done: str
    target: str
    met: bool


@dataclass(frozen=True)
class Status:
    kind: str  # on-track, behind, paused, hired, ...: a CSS class and the icon's key
    label: str  # the words shown, as /cohort report shows them


@dataclass(frozen=True)
class CohortRow:
    member_id: int
    name: str
    figures: tuple[Figure, Figure, Figure, Figure]  # applications, outreach, practice, hours
    hour_minutes: int
    streak: int
    status: Status
    last_checkin: date | None


@dataclass(frozen=True)
class CohortWeek:
    viewer: Viewer
    cohort: str
    monday: date
    label: str
    previous: date
    next: date | None  # None when the week shown is the current one
    current: bool
    targets: Targets
    rows: tuple[CohortRow, ...]
    on_track: int
    searching: int
    sort: str
    descending: bool


@dataclass(frozen=True)
class Item:
    """An application or contact as a member's page lists it."""

    ref: str
    what: str
    detail: str
    day: date
    next_step: str
    follow_up: date | None
    due: bool


@dataclass(frozen=True)
class MemberPage:
    viewer: Viewer
    member_id: int
    name: str
    cohort: str | None
    status: str
    label: str
    figures: tuple[Figure, ...]
    streak: int
    longest: int
    practiced_today: bool
    followups: tuple[Item, ...]
    applications: tuple[Item, ...]
    contacts: tuple[Item, ...]


@dataclass(frozen=True)
class Index:
    viewer: Viewer
    cohort_members: tuple[tuple[int, str], ...]  # a coach's members: (id, name)


def figures(done: WeekTotals, targets: Targets) -> tuple[Figure, Figure, Figure, Figure]:
    """The week against the targets, in /cohort report's words and numbers."""
    hours = format_minutes(done.total_minutes) if done.total_minutes else "0h"
    return (
        Figure(
            "Applications",
            str(done.applications),
            str(targets.applications),
            done.applications >= targets.applications,
        ),
        Figure(
            "Outreach", str(done.outreach), str(targets.outreach), done.outreach >= targets.outreach
        ),
        Figure(
            "Practice days",
            str(done.practice_days),
            str(targets.practice_days),
            done.practice_days >= targets.practice_days,
        ),
        Figure("Hours", hours, f"{targets.hours}h", done.total_minutes >= targets.hours * 60),
    )


def status_of(member: Member, done: WeekTotals, targets: Targets, today: date) -> Status:
    """The report's status column: on track, below which targets, or paused/hired/..."""
    status = effective_status(member, today)
    if status != "searching":
        return Status(status, status)
    missed = targets.below(done)
    if missed:
        return Status("behind", "below: " + ", ".join(missed))
    return Status("on-track", "on track")


class Dashboard:
    """Sign-in links and page data over the core's sessions (one read transaction a page)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        slots: Slots | None = None,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.slots = slots

    # -- sign-in links ---------------------------------------------------------------------

    async def issue_link(self, platform: str, who: str, tenant: str | None = None) -> str:
        """A new one-time token for the member ``who`` (their user id or display name) of
        ``platform``'s workspace ``tenant`` (optional when the platform has just one)."""
        now = self.clock.now()
        async with system_session(self.sessions) as session:
            query = select(Tenant).where(Tenant.platform == platform)
            if tenant is not None:
                query = query.where(Tenant.external_id == tenant)
            found = list((await session.scalars(query.limit(2))).all())
            if not found:
                raise LinkError(f"No {platform} workspace has used Offerbound yet.")
            if len(found) > 1:
                raise LinkError(f"Several {platform} workspaces use Offerbound; name one.")
            repo = TenantRepository(session, found[0].id)
            member = await repo.member_by_platform_id(who)
            if member is None:
                named = await repo.members_named(who, None)
                if len(named) > 1:
                    raise LinkError(f"More than one member is called {who}; use their user id.")
                member = named[0] if named else None
            if member is None:
                raise LinkError(f"{who} has not used Offerbound in this workspace yet.")
            token = secrets.token_urlsafe(32)
            await repo.add(
                DashboardLink(
                    member_id=member.id,
                    token=hash_token(token),
                    created_at=now,
                    expires_at=now + LINK_LIFETIME,
                )
            )
            await session.commit()
        return token

    async def redeem(self, token: str) -> Identity | None:
        """Use a sign-in token up: who it signs in, or None (unknown, used, or expired)."""
        now = self.clock.now()
        async with system_session(self.sessions) as session:
            link = await DashboardLinkDirectory(session).redeem(hash_token(token), now)
            if link is None:
                return None
            tenant = await session.get(Tenant, link.tenant_id)
            member = await TenantRepository(session, link.tenant_id).get(Member, link.member_id)
            await session.commit()
            if tenant is None or member is None:
                return None
            return Identity(tenant.platform, tenant.external_id, member.platform_user_id)

    # -- pages ------------------------------------------------------------------------------

    async def index(self, identity: Identity) -> Index:
        async with self._reading(identity) as (repo, viewer, _member, cohort):
            shown: tuple[tuple[int, str], ...] = ()
            if viewer.coach and cohort is not None:
                people = await repo.cohort_members(cohort.id)
                shown = tuple((m.id, m.display_name) for m in people if m.role == "member")
            return Index(viewer, shown)

    async def cohort_week(
        self,
        identity: Identity,
        week: date | None = None,
        sort: str = "name",
        descending: bool = False,
    ) -> CohortWeek:
        """``/cohort report`` as a page: the week containing ``week`` (default this week)."""
        async with self._reading(identity) as (repo, viewer, member, cohort):
            if not viewer.coach or cohort is None:
                raise Forbidden()
            now = self.clock.now()
            today = local_today(now, member.timezone)
            this_monday = week_start(today)
            if week is not None and week_start(week) >= this_monday:
                week = None  # this week (or a future one): every member's own current week
            monday = this_monday if week is None else week_start(week)
            people = [m for m in await repo.cohort_members(cohort.id) if m.role == "member"]
            totals = await week_totals(repo, people, now, of_day=week)
            runs = await streaks(repo, people, now, cohort.streak_freezes)
            checkins = await _last_checkins(repo, [m.id for m in people])
            targets = targets_of(cohort)
            rows = []
            searching = behind = 0
            for m in people:
                done = totals[m.id]
                status = status_of(m, done, targets, today)
                searching += effective_status(m, today) == "searching"
                behind += status.kind == "behind"
                rows.append(
                    CohortRow(
                        m.id,
                        m.display_name,
                        figures(done, targets),
                        done.total_minutes,
                        runs[m.id].current,
                        status,
                        checkins.get(m.id),
                    )
                )
            sort = sort if sort in SORTS else "name"
            rows.sort(key=lambda r: r.name.lower())
            rows.sort(key=_sort_key(sort, totals), reverse=descending)
            return CohortWeek(
                viewer=viewer,
                cohort=cohort.name,
                monday=monday,
                label=week_label(monday),
                previous=monday - timedelta(weeks=1),
                next=None if week is None else monday + timedelta(weeks=1),
                current=week is None,
                targets=targets,
                rows=tuple(rows),
                on_track=searching - behind,
                searching=searching,
                sort=sort,
                descending=descending,
            )

    async def member_page(self, identity: Identity, member_id: int) -> MemberPage:
        """One member's week: for the member themself, or a coach of their cohort."""
        async with self._reading(identity) as (repo, viewer, me, cohort):
            other = me if member_id == me.id else await repo.get(Member, member_id)
            if other is None:
                raise NotFound()  # not in this tenant: as if it never existed
            if other.id != me.id and not (
                viewer.coach and cohort is not None and other.cohort_id == cohort.id
            ):
                raise Forbidden()
            their_cohort = (
                cohort
                if other.cohort_id == me.cohort_id
                else (await repo.get(Cohort, other.cohort_id) if other.cohort_id else None)
            )
            now = self.clock.now()
            today = local_today(now, other.timezone)
            totals = (await week_totals(repo, [other], now))[other.id]
            streak = await member_streak(repo, other, their_cohort, now)
            due = await due_followups(repo, other.id, today)
            apps = await repo.applications(other.id, limit=RECENT)
            contacts = await repo.contacts(other.id, limit=RECENT)
            return MemberPage(
                viewer=viewer,
                member_id=other.id,
                name=other.display_name,
                cohort=their_cohort.name if their_cohort else None,
                status=effective_status(other, today),
                label=week_label(week_start(today)),
                figures=figures(totals, targets_of(their_cohort)),
                streak=streak.current,
                longest=streak.longest,
                practiced_today=streak.practiced_today,
                followups=tuple(
                    Item(f.ref, f.what, "", f.due, f.next_step, f.due, True) for f in due
                ),
                applications=tuple(_item(a, today) for a in apps),
                contacts=tuple(_item(c, today) for c in contacts),
            )

    # -- shared ------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _reading(
        self, identity: Identity
    ) -> AsyncIterator[tuple[TenantRepository, Viewer, Member, Cohort | None]]:
        """One read-only unit of work for a page, holding a database slot as a command does;
        the identity resolves to its tenant and member like an invocation's (Forbidden when
        either is gone: a session never registers anyone)."""
        held = self.slots.hold() if self.slots is not None else contextlib.nullcontext()
        async with held, UnitOfWork(self.sessions) as uow:
            tenant = await uow.tenants.find(identity.platform, identity.tenant)
            if tenant is None:
                raise Forbidden()
            repo = uow.repository(tenant.id)
            member = await repo.member_by_platform_id(identity.user)
            if member is None:
                raise Forbidden()
            cohort = await repo.get(Cohort, member.cohort_id) if member.cohort_id else None
            viewer = Viewer(
                identity,
                member.id,
                member.display_name,
                member.role == "coach",
                cohort.name if cohort else None,
            )
            yield repo, viewer, member, cohort


def _item(row: Application | Contact, today: date) -> Item:
    """An application (role at company, stage) or a contact (name, company, channel)."""
    due = row.follow_up is not None and row.follow_up <= today
    if isinstance(row, Application):
        what = f"{row.role} at {row.company}"
        return Item(
            APPLICATION.label(row),
            what,
            row.stage,
            row.applied_on,
            row.next_step,
            row.follow_up,
            due,
        )
    who = row.name + (f" ({row.company})" if row.company else "")
    return Item(
        CONTACT.label(row), who, row.channel, row.contacted_on, row.next_step, row.follow_up, due
    )


async def _last_checkins(repo: TenantRepository, member_ids: Sequence[int]) -> dict[int, date]:
    """Each member's latest check-in day, in one grouped query."""
    if not member_ids:
        return {}
    rows = await repo.execute(
        select(StandupResponse.member_id, func.max(StandupResponse.day))
        .where(StandupResponse.member_id.in_(list(member_ids)))
        .group_by(StandupResponse.member_id)
    )
    return {member_id: day for member_id, day in rows}


def _sort_key(sort: str, totals: dict[int, WeekTotals]) -> Callable[[CohortRow], Any]:
    def key(row: CohortRow) -> Any:
        done = totals[row.member_id]
        return {
            "name": row.name.lower(),
            "applications": done.applications,
            "outreach": done.outreach,
            "practice": done.practice_days,
            "hours": done.total_minutes,
            "streak": row.streak,
            "status": (row.status.kind != "behind", row.status.label),
            "checkin": row.last_checkin or date.min,
        }[sort]

    return key
