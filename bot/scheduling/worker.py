"""The delivery worker: claims outbox rows, renders them, sends them, records what happened.

Every replica runs one. A row is rendered at send time, sent outside any database transaction,
and finished only if this worker still holds its lease. A row whose lease ran out mid-send is
"uncertain": before sending again the worker asks the platform whether it arrived.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import Delivered, Deliverer, Failed, Outcome, RetryLater, Target, Unreachable
from bot.replies import Reply
from bot.scheduling.pacer import Pacer
from bot.scheduling.plan import CHANNEL_KINDS, Kind
from bot.scheduling.prompts import RENDERERS, PromptContext
from storage.models import Cohort, Member, OutboxMessage, Tenant
from storage.outbox import FAILED, PENDING, SENT, SKIPPED, UNREACHABLE, Claim, OutboxStore
from storage.repository import TenantRepository

log = logging.getLogger("offerbound.delivery")
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> float:
    """Seconds before retry number ``attempts``: 5s, 10s, 20s... capped at 10 minutes, jittered."""
    return min(600.0, 5.0 * 2 ** max(0, attempts - 1)) * random.uniform(0.8, 1.2)


@dataclass
class Prepared:
    """A rendered row, ready to send (or closed without sending when ``reply`` is None)."""

    target: Target | None
    platform: str
    reply: Reply | None
    reason: str = ""


@dataclass
class DeliveryWorker:
    sessions: async_sessionmaker[AsyncSession]
    deliverers: Mapping[str, Deliverer]
    clock: Clock
    worker_id: str
    pacer: Pacer = field(default_factory=Pacer)
    lease: timedelta = timedelta(seconds=60)
    batch: int = 50
    concurrency: int = 8
    outcomes: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.store = OutboxStore(self.sessions)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """New rows were written: look now rather than at the next poll."""
        self._wake.set()

    async def run_once(self) -> int:
        """Expire stale rows, then claim and deliver one batch; return how many were handled."""
        now = self.clock.now()
        await self.store.expire(now)
        claims = await self.store.claim(self.worker_id, now, self.lease, self.batch)
        if not claims:
            return 0
        gate = asyncio.Semaphore(self.concurrency)

        async def one(claim: Claim) -> None:
            async with gate:
                await self.deliver(claim)

        await asyncio.gather(*(one(c) for c in claims))
        return len(claims)

    async def drain(self, limit: int = 10_000) -> int:
        """Deliver until nothing is ready (tests and the demo)."""
        total = 0
        while total < limit and (handled := await self.run_once()):
            total += handled
        return total

    async def run_forever(self, stop: asyncio.Event, poll: float = 1.0) -> None:
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("delivery round failed; retrying shortly")
                handled = 0
            if handled:
                continue
            self._wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(waiters, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

    async def deliver(self, claim: Claim) -> None:
        row = claim.row
        try:
            prepared = await self._prepare(row)
        except Exception as exc:
            log.exception("rendering outbox row %s failed", row.id)
            await self._retry(row, backoff(row.attempts), f"render: {exc!r}"[:300])
            return
        if prepared.reply is None or prepared.target is None:
            await self._finish(row, SKIPPED, last_error=prepared.reason)
            return
        deliverer = self.deliverers.get(prepared.platform)
        if deliverer is None:
            await self._retry(row, 60.0, f"no {prepared.platform} adapter in this process")
            return
        if claim.uncertain:
            arrived = await deliverer.was_delivered(prepared.target, row.key)
            if arrived:
                await self._finish(row, SENT, sent_at=self.clock.now(), last_error="recovered")
                return
        await self.pacer.wait(
            prepared.platform,
            prepared.target.tenant_id,
            prepared.target.channel_id or prepared.target.user_id,
        )
        try:
            outcome: Outcome = await deliverer.send(prepared.target, prepared.reply, row.key)
        except Exception as exc:
            log.warning("sending outbox row %s failed: %r", row.id, exc)
            outcome = RetryLater(backoff(row.attempts), repr(exc)[:300])
        await self._record(row, prepared, outcome)

    async def _record(self, row: OutboxMessage, prepared: Prepared, outcome: Outcome) -> None:
        match outcome:
            case Delivered(ref=ref):
                await self._finish(row, SENT, sent_at=self.clock.now(), message_ref=ref[:120])
            case RetryLater(after=after, reason=reason):
                assert prepared.target is not None
                self.pacer.back_off(prepared.platform, prepared.target.tenant_id, after)
                await self._retry(row, max(after, 1.0), reason)
            case Unreachable(reason=reason):
                await self._finish(row, UNREACHABLE, last_error=reason[:300])
                if row.member_id is not None:
                    await self._mark_unreachable(row, reason)
            case Failed(reason=reason):
                await self._finish(row, FAILED, last_error=reason[:300])

    async def _retry(self, row: OutboxMessage, after: float, reason: str) -> None:
        if row.attempts >= MAX_ATTEMPTS:
            await self._finish(row, FAILED, last_error=f"gave up: {reason}"[:300])
            return
        when = self.clock.now() + timedelta(seconds=after)
        if when >= row.expires_at:
            await self._finish(row, FAILED, last_error=f"expired while retrying: {reason}"[:300])
            return
        await self._finish(row, PENDING, next_attempt_at=when, last_error=reason[:300])

    async def _finish(self, row: OutboxMessage, status: str, **values: object) -> None:
        self.outcomes[status] += 1
        if not await self.store.finish(row.id, self.worker_id, status=status, **values):
            log.warning("outbox row %s was taken over by another worker", row.id)

    async def _prepare(self, row: OutboxMessage) -> Prepared:
        async with self.sessions() as session:
            tenant = await session.get(Tenant, row.tenant_id)
            repo = TenantRepository(session, row.tenant_id)
            cohort = await repo.get(Cohort, row.cohort_id)
            member = await repo.get(Member, row.member_id) if row.member_id else None
            if tenant is None or cohort is None or (row.member_id and member is None):
                return Prepared(None, "", None, "recipient no longer exists")
            kind = Kind(row.kind)
            if kind in CHANNEL_KINDS:
                if not cohort.channel_id:
                    return Prepared(None, tenant.platform, None, "the cohort has no channel")
                target = Target(tenant.external_id, channel_id=cohort.channel_id)
            else:
                assert member is not None
                if member.unreachable_since:
                    return Prepared(None, tenant.platform, None, "member is unreachable")
                target = Target(tenant.external_id, user_id=member.platform_user_id)
            subject = await repo.get(Member, row.subject_id) if row.subject_id else None
            reply = await RENDERERS[kind](
                PromptContext(repo, cohort, member, row.local_day, self.clock.now(), subject)
            )
            return Prepared(target, tenant.platform, reply, "" if reply else "no longer needed")

    async def _mark_unreachable(self, row: OutboxMessage, reason: str) -> None:
        async with self.sessions() as session:
            member = await TenantRepository(session, row.tenant_id).get(Member, row.member_id or 0)
            if member is not None and member.unreachable_since is None:
                member.unreachable_since = self.clock.now()
                member.unreachable_reason = reason[:200]
                await session.commit()
