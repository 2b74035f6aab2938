"""The delivery worker: claims outbox rows, renders them, sends them, records what happened.

Every replica runs one. A row is rendered at send time, sent outside any database transaction,
and finished only if this worker still holds its lease. A row whose lease ran out mid-send is
"uncertain": before sending again the worker asks the platform whether it arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import Delivered, Failed, Outcome, RetryLater, Target, Unreachable
from bot.domain.prompt_rules import CHANNEL_KINDS, Kind
from bot.metrics import Metrics
from bot.platform import Outbound
from bot.replies import Reply
from bot.scheduling.pacer import Pacer
from bot.scheduling.prompts import RENDERERS, PromptContext
from storage.models import Cohort, Member, OutboxMessage, Tenant
from storage.outbox import (
    FAILED,
    PENDING,
    SEND_TIMED_OUT,
    SENT,
    SKIPPED,
    UNREACHABLE,
    Claim,
    OutboxStore,
)
from storage.repository import TenantRepository
from storage.scope import system_session

log = logging.getLogger("offerbound.delivery")
MAX_ATTEMPTS = 8
SEND_TIMEOUT = 30.0  # seconds one send may take at most (and never more than half the lease)


def backoff(attempts: int) -> float:
    """Seconds before retry number ``attempts``: 5s, 10s, 20s... capped at 10 minutes, jittered."""
    return min(600.0, 5.0 * 2.0 ** max(0, attempts - 1)) * random.uniform(0.8, 1.2)


@dataclass
class Prepared:
    """A rendered row, ready to send (or closed without sending when ``reply`` is None)."""

    target: Target | None
    platform: str
    reply: Reply | None
    reason: str = ""
    error: str = ""


@dataclass
class Finish:
    """What to record for one row once the batch is done."""

    row: OutboxMessage
    status: str
    values: dict[str, object]
    unreachable: str | None = None
    platform: str = ""


@dataclass
class DeliveryWorker:
    sessions: async_sessionmaker[AsyncSession]
    platforms: Mapping[str, Outbound]
    clock: Clock
    worker_id: str
    pacer: Pacer = field(default_factory=Pacer)
    lease: timedelta = timedelta(seconds=60)
    batch: int = 50
    concurrency: int = 8
    outcomes: Counter[str] = field(default_factory=Counter)
    metrics: Metrics | None = None
    heartbeat: float | None = None  # seconds between lease extensions (default: a third of it)

    def __post_init__(self) -> None:
        self.store = OutboxStore(self.sessions)
        lease = self.lease.total_seconds()
        self.heartbeat = self.heartbeat or lease / 3
        # Every send ends (or is abandoned as uncertain) well within the lease it holds.
        self.send_timeout = min(SEND_TIMEOUT, lease / 2)
        self._wake = asyncio.Event()
        self._depth_checked = -1e9

    def wake(self) -> None:
        """New rows were written: look now rather than at the next poll."""
        self._wake.set()

    async def run_once(self) -> int:
        """Expire stale rows, then claim and deliver one batch; return how many were handled.

        A batch is rendered in one session, sent concurrently (paced), and its outcomes are
        written in one transaction: the database is touched three times per batch, not per row.
        """
        now = self.clock.now()
        await self.store.expire(now)
        claims = await self.store.claim(self.worker_id, now, self.lease, self.batch)
        if not claims:
            return 0
        beat = asyncio.create_task(self._keep_leases([c.row for c in claims]), name="heartbeat")
        try:
            prepared = await self._prepare_batch(claims)
            gate = asyncio.Semaphore(self.concurrency)

            async def one(claim: Claim) -> Finish:
                async with gate:
                    finish = await self._deliver(claim, prepared[claim.row.id])
                    finish.platform = prepared[claim.row.id].platform
                    return finish

            finishes = await asyncio.gather(*(one(c) for c in claims))
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
        await self._write(finishes)
        return len(claims)

    async def _keep_leases(self, rows: list[OutboxMessage]) -> None:
        """While the batch is out, keep extending its leases (the heartbeat)."""
        assert self.heartbeat is not None
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                await self.store.extend(self.worker_id, rows, self.clock.now() + self.lease)
            except Exception:
                log.warning("could not extend the leases of a batch in flight", exc_info=True)

    async def _observe_depth(self) -> None:
        """Refresh the outbox gauges for `/metrics`, at most every 15 seconds."""
        loop_time = asyncio.get_running_loop().time()
        if self.metrics is None or loop_time - self._depth_checked < 15:
            return
        self._depth_checked = loop_time
        try:
            depth, age = await self.store.depth(self.clock.now())
        except Exception:
            log.warning("could not read the outbox depth", exc_info=True)
            return
        self.metrics.outbox_depth.set(depth)
        self.metrics.outbox_age.set(age)

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
            await self._observe_depth()
            if handled:
                continue
            self._wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(waiters, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

    async def _deliver(self, claim: Claim, prepared: Prepared) -> Finish:
        row = claim.row
        if prepared.error:
            return self._retry(row, backoff(row.attempts), prepared.error)
        if prepared.reply is None or prepared.target is None:
            return Finish(row, SKIPPED, {"last_error": prepared.reason})
        platform = self.platforms.get(prepared.platform)
        if platform is None:
            return self._retry(row, 60.0, f"no {prepared.platform} adapter in this process")
        if claim.uncertain:
            try:
                arrived = await platform.was_delivered(prepared.target, row.key)
            except Exception as exc:
                return self._retry(row, backoff(row.attempts), f"recovery check: {exc!r}")
            if arrived:
                return Finish(row, SENT, {"sent_at": self.clock.now(), "last_error": "recovered"})
        await self.pacer.wait(
            prepared.platform,
            prepared.target.tenant_id,
            prepared.target.channel_id or prepared.target.user_id,
        )
        try:
            outcome: Outcome = await asyncio.wait_for(
                platform.send(prepared.target, prepared.reply, row.key), self.send_timeout
            )
        except TimeoutError:
            log.warning("sending outbox row %s timed out; it will be checked first", row.id)
            return self._retry(row, backoff(row.attempts), SEND_TIMED_OUT)
        except Exception as exc:
            log.warning("sending outbox row %s failed: %r", row.id, exc)
            outcome = RetryLater(backoff(row.attempts), repr(exc))
        return await self._outcome(row, prepared, outcome)

    async def _outcome(self, row: OutboxMessage, prepared: Prepared, outcome: Outcome) -> Finish:
        match outcome:
            case Delivered(ref=ref):
                return Finish(row, SENT, {"sent_at": self.clock.now(), "message_ref": ref[:120]})
            case RetryLater(after=after, reason=reason):
                assert prepared.target is not None
                await self.pacer.back_off(prepared.platform, prepared.target.tenant_id, after)
                if self.metrics is not None and "rate" in reason.lower():
                    self.metrics.rate_limited.labels(prepared.platform).inc()
                return self._retry(row, max(after, 1.0), reason)
            case Unreachable(reason=reason):
                return Finish(row, UNREACHABLE, {"last_error": reason[:300]}, unreachable=reason)
            case Failed(reason=reason):
                return Finish(row, FAILED, {"last_error": reason[:300]})
        raise TypeError(f"unknown delivery outcome {outcome!r}")

    def _retry(self, row: OutboxMessage, after: float, reason: str) -> Finish:
        reason = reason[:280]
        if row.attempts >= MAX_ATTEMPTS:
            return Finish(row, FAILED, {"last_error": f"gave up: {reason}"})
        when = self.clock.now() + timedelta(seconds=after)
        if when >= row.expires_at:
            return Finish(row, FAILED, {"last_error": f"expired while retrying: {reason}"})
        return Finish(row, PENDING, {"next_attempt_at": when, "last_error": reason})

    async def _write(self, finishes: list[Finish]) -> None:
        for finish in finishes:
            self.outcomes[finish.status] += 1
            if self.metrics is not None:
                self.metrics.deliveries.labels(finish.platform or "none", finish.status).inc()
        written = await self.store.finish_many(
            self.worker_id, [(f.row, {"status": f.status, **f.values}) for f in finishes]
        )
        if 0 <= written < len(finishes):  # some drivers report no rowcount for executemany
            log.warning("%d outbox rows were taken over by another worker", len(finishes) - written)
        gone = [f for f in finishes if f.unreachable and f.row.member_id is not None]
        if gone:
            await self._mark_unreachable(gone)

    async def _prepare_batch(self, claims: list[Claim]) -> dict[int, Prepared]:
        """Render every claimed row in one session, loading recipients in bulk."""
        rows = [c.row for c in claims]
        prepared: dict[int, Prepared] = {}
        # The batch spans tenants: recipients are loaded in bulk on a system session, and each
        # row is rendered through its own tenant's repository on that session.
        async with system_session(self.sessions) as session:
            tenants = {
                t.id: t
                for t in (
                    await session.scalars(
                        select(Tenant).where(Tenant.id.in_({r.tenant_id for r in rows}))
                    )
                ).all()
            }
            cohorts = {
                c.id: c
                for c in (
                    await session.scalars(
                        select(Cohort).where(Cohort.id.in_({r.cohort_id for r in rows}))
                    )
                ).all()
            }
            member_ids = {r.member_id for r in rows} | {r.subject_id for r in rows}
            members = {
                m.id: m
                for m in (
                    await session.scalars(
                        select(Member).where(Member.id.in_({i for i in member_ids if i}))
                    )
                ).all()
            }
            now = self.clock.now()
            for row in rows:
                try:
                    prepared[row.id] = await self._prepare(
                        session, row, tenants, cohorts, members, now
                    )
                except Exception as exc:
                    log.exception("rendering outbox row %s failed", row.id)
                    await session.rollback()
                    prepared[row.id] = Prepared(None, "", None, error=f"render: {exc!r}")
        return prepared

    async def _prepare(
        self,
        session: AsyncSession,
        row: OutboxMessage,
        tenants: dict[int, Tenant],
        cohorts: dict[int, Cohort],
        members: dict[int, Member],
        now: datetime,
    ) -> Prepared:
        tenant = tenants.get(row.tenant_id)
        cohort = cohorts.get(row.cohort_id)
        member = members.get(row.member_id) if row.member_id else None
        # Rows are only ever read within their own tenant, even when loaded in bulk.
        if (
            tenant is None
            or cohort is None
            or cohort.tenant_id != row.tenant_id
            or (row.member_id and (member is None or member.tenant_id != row.tenant_id))
        ):
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
        subject = members.get(row.subject_id) if row.subject_id else None
        if subject is not None and subject.tenant_id != row.tenant_id:
            subject = None
        repo = TenantRepository(session, row.tenant_id)
        reply = await RENDERERS[kind](
            PromptContext(repo, cohort, member, row.local_day, now, subject)
        )
        return Prepared(target, tenant.platform, reply, "" if reply else "no longer needed")

    async def _mark_unreachable(self, finishes: list[Finish]) -> None:
        async with self.sessions() as session:
            for finish in finishes:
                repo = TenantRepository(session, finish.row.tenant_id)
                member = await repo.get(Member, finish.row.member_id or 0)
                if member is not None and member.unreachable_since is None:
                    member.unreachable_since = self.clock.now()
                    member.unreachable_reason = (finish.unreachable or "")[:200]
            await session.commit()
