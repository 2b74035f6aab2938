"""What a command handler gets: the resolved member, their cohort, a tenant-scoped repository."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.domain.calendar import local_today
from bot.domain.scoring import Targets
from bot.errors import NeedsCohort, UserError
from bot.hooks import Hook, Hooks
from bot.locks import KeyedLocks, Slots
from bot.platform import Platform
from bot.replies import Rich, t
from bot.services.figures import targets_of

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.invocation import Invocation
    from bot.params import MemberRef
    from bot.registry import Command, Registry
    from bot.settings import Settings
    from storage.models import Cohort, Member, Tenant
    from storage.repository import TenantRepository


@dataclass
class Context:
    invocation: Invocation
    command: Command
    registry: Registry
    settings: Settings
    clock: Clock
    repo: TenantRepository
    tenant: Tenant
    member: Member
    cohort: Cohort | None
    now: datetime
    hooks: Hooks = field(default_factory=Hooks)
    after_commit: list[Hook] = field(default_factory=list)
    notices: list[Rich] = field(default_factory=list)
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    platform: Platform | None = None  # the platform the command came from, when attached
    slots: Slots | None = None  # the database slot this command holds (see ``outside``)

    @contextlib.asynccontextmanager
    async def outside(self) -> AsyncIterator[None]:
        """Around a slow outside call: the transaction so far ends (reads only) and the
        command's database slot is lent to others until the call returns, so neither a
        connection nor a slot waits on GitHub or a platform. A command that has already
        changed something keeps both (its change must commit whole with the rest)."""
        if self.repo.changed:
            yield
            return
        await self.repo.end_reads()
        if self.slots is None:
            yield
            return
        async with self.slots.lent():
            yield

    async def check_channel(self, channel_id: str) -> None:
        """Refuse a channel the bot could not post in for this workspace or server."""
        if self.platform is None:
            return
        async with self.outside():
            problem = await self.platform.check_channel(self.invocation.tenant_id, channel_id)
        if problem:
            raise UserError(
                problem,
                hint=t("Pick another channel, e.g. `channel=#job-search`."),
                param="channel",
            )

    async def may_create_cohorts(self) -> bool:
        """Whether the caller may create a cohort here (``OFFERBOUND_COHORT_CREATORS``)."""
        terms = self.settings.cohort_creators.split(",")
        if "anyone" in terms:
            return True
        if self.platform is None:
            return False
        groups = frozenset(term[6:] for term in terms if term.startswith("group:"))
        async with self.outside():
            standing = await self.platform.standing(
                self.invocation.tenant_id, self.invocation.user_id, groups
            )
        return ("admins" in terms and standing.admin) or bool(groups & standing.groups)

    def notice(self, text: Rich) -> None:
        """A line added at the end of a successful reply (e.g. an old id's new name)."""
        if text not in self.notices:
            self.notices.append(text)

    def schedule_changed(self) -> None:
        """The cohort schedule or a member's zone/status changed: rebuild jobs after commit."""
        self.after_commit.extend(self.hooks.schedule_changed)

    def outbox_written(self) -> None:
        """Rows were added to the outbox: wake the delivery worker after commit."""
        self.after_commit.extend(self.hooks.outbox_written)

    @property
    def today(self) -> date:
        """The member's local date."""
        return local_today(self.now, self.member.timezone)

    def today_of(self, member: Member) -> date:
        """Another member's local date (a coach looking at a member sees the member's today)."""
        return local_today(self.now, member.timezone)

    def require_cohort(self) -> Cohort:
        if self.cohort is None:
            raise NeedsCohort()
        return self.cohort

    @property
    def is_coach(self) -> bool:
        return self.member.role == "coach"

    def targets(self) -> Targets:
        return targets_of(self.cohort)

    async def find_member(self, ref: MemberRef) -> Member:
        """Resolve a typed reference to a member of the same cohort (or tenant, without one)."""
        cohort_id = self.cohort.id if self.cohort else None
        if ref.platform_id:
            found = await self.repo.member_by_platform_id(ref.platform_id)
            if found is not None and (cohort_id is None or found.cohort_id == cohort_id):
                return found
        elif ref.name:
            matches = await self.repo.members_named(ref.name, cohort_id)
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise UserError(f"More than one member is called {ref.name}; mention them instead.")
        shown = ref.name or ref.raw
        raise UserError(
            f"I can't find {shown} in your cohort.",
            hint=t("Use their @mention or the name shown in `/cohort members`."),
        )

    async def member_or_self(self, ref: MemberRef | None) -> Member:
        """The member a coach asked about, or the caller; members may only ask about themselves."""
        if ref is None:
            return self.member
        other = await self.find_member(ref)
        if other.id != self.member.id and not self.is_coach:
            raise UserError(
                "Only coaches can see another member's details.",
                hint="Leave out the member to see your own.",
            )
        return other
