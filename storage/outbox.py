"""The durable outbox: enqueue prompts idempotently, claim them with a lease, record outcomes.

This store works across tenants on purpose: the delivery worker serves every workspace and guild,
so its statements run on ``system_session``s. Each row still carries its tenant, and rendering a
row goes through that tenant's repository; commands queue rows through their own repository.
Claiming uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so several replicas never take one row;
SQLite ignores the clause and serialises writers instead (one process).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.engine import affected
from storage.models import OutboxMessage
from storage.scope import TENANT, system_session

PENDING, CLAIMED, SENT = "pending", "claimed", "sent"
SKIPPED, EXPIRED, FAILED, UNREACHABLE = "skipped", "expired", "failed", "unreachable"
FINISH_COLUMNS = (
    "status",
    "next_attempt_at",
    "sent_at",
    "message_ref",
    "last_error",
    "lease_until",
)
LEASE_EXPIRED = "lease expired during a send; checking before resending"
SEND_TIMED_OUT = "the send timed out; checking before resending"
UNCERTAIN = (LEASE_EXPIRED, SEND_TIMED_OUT)  # the last attempt may have arrived: ask first


@dataclass(frozen=True)
class Claim:
    """A claimed row; ``uncertain`` when a previous worker's lease ran out mid-send."""

    row: OutboxMessage
    uncertain: bool


class OutboxStore:
    """Every outbox statement, in short transactions of its own."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def enqueue(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert rows, ignoring any whose (tenant, key) exists; return how many were new."""
        if not rows:
            return 0
        async with system_session(self.sessions) as session:
            inserted = await self.enqueue_in(session, rows)
            await session.commit()
            return inserted

    @staticmethod
    async def enqueue_in(
        session: AsyncSession, rows: Sequence[dict[str, Any]], *, tenant_id: int | None = None
    ) -> int:
        """The same insert inside a caller's transaction (commands enqueue with their writes).

        With ``tenant_id`` every row must be that tenant's (``TenantRepository.enqueue_prompts``);
        without it the session must be a system session (the planner).
        """
        options = {TENANT: tenant_id} if tenant_id is not None else {}
        dialect = session.bind.dialect.name if session.bind else "sqlite"
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(OutboxMessage)
            .on_conflict_do_nothing(index_elements=["tenant_id", "key"])
            .returning(OutboxMessage.id)
        )
        inserted = 0
        for start in range(0, len(rows), 1000):
            # executemany: one compiled statement, batched by SQLAlchemy's insertmanyvalues
            result = await session.execute(
                statement, list(rows[start : start + 1000]), execution_options=options
            )
            inserted += len(result.all())
        return inserted

    async def claim(self, worker: str, now: datetime, lease: timedelta, limit: int) -> list[Claim]:
        """Take up to ``limit`` rows that are ready, or whose previous lease has run out."""
        ready = or_(
            (OutboxMessage.status == PENDING) & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.status == CLAIMED) & (OutboxMessage.lease_until < now),
        )
        ids = (
            select(OutboxMessage.id)
            .where(ready)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        # One statement, so two workers can never take the same row (SQLite takes its write
        # lock for it; PostgreSQL skips rows another claim has locked). SET expressions see
        # the old row, which is how a lease that expired mid-send is recognised.
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(
                status=CLAIMED,
                claimed_by=worker,
                lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1,
                last_error=case(
                    (OutboxMessage.status == CLAIMED, LEASE_EXPIRED),
                    else_=OutboxMessage.last_error,
                ),
            )
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
        async with system_session(self.sessions) as session:
            rows = (await session.scalars(statement)).all()
            await session.commit()
        uncertain = {row.id for row in rows if row.last_error in UNCERTAIN}
        return [Claim(row, row.id in uncertain) for row in sorted(rows, key=lambda r: r.id)]

    async def finish(self, row_id: int, worker: str, **values: Any) -> bool:
        """Record an outcome, only if this worker still holds the row (its lease wasn't taken)."""
        async with system_session(self.sessions) as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == row_id,
                    OutboxMessage.status == CLAIMED,
                    OutboxMessage.claimed_by == worker,
                )
                .values(lease_until=None, **values)
            )
            await session.commit()
            return affected(result) == 1

    async def finish_many(
        self, worker: str, outcomes: Sequence[tuple[OutboxMessage, dict[str, Any]]]
    ) -> int:
        """Record a batch of outcomes with one executemany; rows taken over meanwhile are left.

        The attempt number the claim returned is the fencing token: an outcome is written only
        while the row is still this worker's claim *and* still that attempt, so a worker that
        lost its lease can never overwrite a newer attempt's outcome. Columns an outcome does not
        set keep the value the claim returned for them.
        """
        if not outcomes:
            return 0
        table = cast(Table, OutboxMessage.__table__)
        statement = (
            table.update()
            .where(
                table.c.id == bindparam("b_id"),
                table.c.status == CLAIMED,
                table.c.claimed_by == worker,
                table.c.attempts == bindparam("b_attempt"),
            )
            .values({column: bindparam(f"b_{column}") for column in FINISH_COLUMNS})
        )
        params = [
            {
                "b_id": row.id,
                "b_attempt": row.attempts,
                **{f"b_{c}": values.get(c, getattr(row, c)) for c in FINISH_COLUMNS},
                "b_lease_until": None,
            }
            for row, values in outcomes
        ]
        async with system_session(self.sessions) as session:
            result = await session.execute(statement, params)
            await session.commit()
        return affected(result)

    async def extend(self, worker: str, claims: Sequence[OutboxMessage], until: datetime) -> int:
        """Heartbeat: push the lease of rows this worker still holds (same attempt) to ``until``,
        so a send that takes long is not taken over while it is still in flight."""
        if not claims:
            return 0
        held = or_(
            *(
                (OutboxMessage.id == row.id) & (OutboxMessage.attempts == row.attempts)
                for row in claims
            )
        )
        async with system_session(self.sessions) as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(held, OutboxMessage.status == CLAIMED, OutboxMessage.claimed_by == worker)
                .values(lease_until=until)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
            return max(0, affected(result))

    async def release(self, worker: str, now: datetime) -> int:
        """A stopping worker hands back what it still holds: another replica may claim it now.

        The rows stay ``claimed`` with a lease that has just run out, so whoever takes one next
        treats it as uncertain and asks the platform whether it arrived before sending again.
        """
        async with system_session(self.sessions) as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == CLAIMED, OutboxMessage.claimed_by == worker)
                .values(lease_until=now - timedelta(microseconds=1))
            )
            await session.commit()
            return affected(result)

    async def expire(self, now: datetime) -> int:
        """Pending rows past their usefulness are closed, never sent."""
        async with system_session(self.sessions) as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == PENDING, OutboxMessage.expires_at <= now)
                .values(status=EXPIRED)
            )
            await session.commit()
            return affected(result)

    async def depth(self, now: datetime) -> tuple[int, float]:
        """How many rows wait to be sent, and the age in seconds of the oldest due one."""
        async with system_session(self.sessions) as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(OutboxMessage.due_at)).where(
                        OutboxMessage.status.in_([PENDING, CLAIMED])
                    )
                )
            ).one()
        if not count or oldest is None:
            return 0, 0.0
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
        return int(count), max(0.0, (now - oldest).total_seconds())
