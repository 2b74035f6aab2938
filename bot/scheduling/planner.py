"""Turning the plan into outbox rows: load each cohort's facts, plan a window, insert idempotently.

This runs across tenants (it is the scheduler's job to serve every workspace and guild), so
loading every cohort and writing the outbox run on a ``system_session``; each cohort's members and
facts are still read through that cohort's own tenant repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.calendar import local_today
from bot.domain.prompt_rules import CohortFacts, Planned, plan_cohort
from bot.services.prompts import outbox_row
from storage.models import Cohort, Holiday, Skip, StandupResponse
from storage.outbox import OutboxStore
from storage.repository import TenantRepository
from storage.scope import system_session


class PromptPlanner:
    """Writes every prompt due in a window into the outbox; safe to run as often as you like."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def plan_all(self, since: datetime, now: datetime) -> int:
        async with system_session(self.sessions) as session:
            cohorts = (await session.scalars(select(Cohort).order_by(Cohort.id))).all()
            rows = await self._rows(session, cohorts, since, now)
            inserted = await OutboxStore.enqueue_in(session, rows) if rows else 0
            await session.commit()
            return inserted

    async def plan_cohort(
        self, tenant_id: int, cohort_id: int, since: datetime, now: datetime
    ) -> int:
        async with self.sessions() as session:
            repo = TenantRepository(session, tenant_id)
            cohort = await repo.get(Cohort, cohort_id)
            if cohort is None:
                return 0
            rows = await self._rows(session, [cohort], since, now)
            inserted = await repo.enqueue_prompts(rows) if rows else 0
            await session.commit()
            return inserted

    async def planned(
        self, cohort: Cohort, session: AsyncSession, since: datetime, now: datetime
    ) -> list[Planned]:
        """What ``cohort`` has due in the window (used by `/cohort schedule` too)."""
        repo = TenantRepository(session, cohort.tenant_id)
        members = await repo.cohort_members(cohort.id)
        first = local_today(since, "Pacific/Kiritimati") - timedelta(days=2)
        last = local_today(now, "Pacific/Kiritimati")
        holidays = frozenset(
            await repo.scalars(
                select(Holiday.day).where(
                    Holiday.cohort_id == cohort.id, Holiday.day.between(first, last)
                )
            )
        )
        ids = [m.id for m in members]
        answered: set[tuple[int, date]] = set()
        if ids:
            for model in (StandupResponse, Skip):
                rows = await repo.execute(
                    select(model.member_id, model.day).where(
                        model.member_id.in_(ids),
                        model.day.between(first, last),
                    )
                )
                answered.update((mid, day) for mid, day in rows)
        return plan_cohort(cohort, members, since, now, CohortFacts(holidays, frozenset(answered)))

    async def _rows(
        self, session: AsyncSession, cohorts: Sequence[Cohort], since: datetime, now: datetime
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for cohort in cohorts:
            for planned in await self.planned(cohort, session, since, now):
                rows.append(outbox_row(cohort.tenant_id, planned, now))
        return rows
