"""APScheduler only ticks: one cron job per moment a cohort has something due, rebuilt from rows.

Job ids are stable (``prompts:c12:America/New_York:mon-fri:09:00``), so rebuilding after a
settings change replaces jobs instead of piling them up, and no job is ever pickled: the
outbox, not the scheduler, is the truth. A sweep every few minutes plans a short window for every
cohort (catching anything a missed tick or another replica's change left out) and resyncs jobs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.prompt_rules import (
    DIGEST_AT,
    LEADERBOARD_AT,
    RETRO_SUMMARY_DELAY,
    standup_days,
)
from bot.scheduling.planner import PromptPlanner
from bot.timeparse import WEEKDAYS
from storage.models import Cohort, Member
from storage.scope import system_session

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger("offerbound.scheduler")
CATCH_UP = timedelta(hours=24)  # at start: anything due today that is still useful
FIRE_WINDOW = timedelta(hours=6)  # a cron fire plans this far back (late fires still count)
SWEEP_EVERY = timedelta(minutes=5)
SWEEP_WINDOW = timedelta(minutes=30)
GITHUB_SYNC_EVERY = timedelta(hours=1)  # cheap: unchanged data answers 304 (ETag)

Moment = tuple[str, tuple[int, ...], time]  # zone, weekdays, wall-clock time


class Someone(Protocol):
    """What a cohort's jobs depend on about a member (a ``Member`` or a row of its columns)."""

    @property
    def timezone(self) -> str: ...

    @property
    def role(self) -> str: ...


def cohort_moments(cohort: Cohort, members: Iterable[Someone]) -> set[Moment]:
    """Every (zone, weekdays, time) at which something of ``cohort`` becomes due."""
    days = tuple(sorted(standup_days(cohort)))
    retro = (cohort.retro_day,)
    moments: set[Moment] = set()
    for zone in {m.timezone for m in members if m.role == "member"}:
        if days:
            moments.add((zone, days, cohort.standup_time))
            moments.add((zone, days, cohort.reminder_time))
        moments.add((zone, retro, cohort.retro_time))
    for zone in {m.timezone for m in members if m.role == "coach"}:
        moments.add((zone, (0,), DIGEST_AT))
    summary_retro = datetime.combine(datetime.min, cohort.retro_time) + RETRO_SUMMARY_DELAY
    if days:
        moments.add((cohort.timezone, days, cohort.summary_time))
    moments.add((cohort.timezone, retro, summary_retro.time()))
    moments.add((cohort.timezone, (0,), LEADERBOARD_AT))
    return moments


def job_id(cohort: Cohort, moment: Moment) -> str:
    zone, days, at = moment
    names = ",".join(WEEKDAYS[d] for d in days)
    return f"prompts:c{cohort.id}:{zone}:{names}:{at:%H:%M}"


def trigger_for(moment: Moment) -> CronTrigger:
    zone, days, at = moment
    return CronTrigger(
        day_of_week=",".join(WEEKDAYS[d] for d in days),
        hour=at.hour,
        minute=at.minute,
        timezone=zone,
    )


class PromptScheduler:
    """Owns the APScheduler instance of the leader process."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        on_enqueued: Callable[[], None] = lambda: None,
        settings: Settings | None = None,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.settings = settings  # for the GitHub sync; read from the environment when None
        self.planner = PromptPlanner(sessions)
        self.on_enqueued = on_enqueued
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._rebuilding = asyncio.Lock()
        self._asked = 0  # rebuilds asked for, numbered
        self._built = 0  # every ask up to this number has been served by a finished rebuild

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    async def start(self) -> None:
        """Catch up on today, build every cohort's jobs, and start ticking."""
        await self.catch_up()
        await self.rebuild_all()
        self.scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=SWEEP_EVERY.total_seconds()),
            id="sweep",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.add_job(
            self.sync_github,
            IntervalTrigger(seconds=GITHUB_SYNC_EVERY.total_seconds()),
            id="github:sync",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.start()

    async def sync_github(self) -> None:
        """Linked members' GitHub commits become practice days (bot/github/sync.py)."""
        from bot.github.sync import sync_due
        from bot.settings import Settings

        try:
            await sync_due(self.sessions, self.settings or Settings(), self.clock)
        except Exception:
            log.exception("GitHub sync failed; the next run tries again")

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = AsyncIOScheduler(timezone=UTC)

    async def catch_up(self) -> int:
        """After downtime: enqueue what fell due while nobody was leading (if still useful)."""
        now = self.clock.now()
        return await self._enqueued(await self.planner.plan_all(now - CATCH_UP, now))

    async def sweep(self) -> None:
        now = self.clock.now()
        await self._enqueued(await self.planner.plan_all(now - SWEEP_WINDOW, now))
        await self.rebuild_all()

    async def fire(self, tenant_id: int, cohort_id: int) -> int:
        """A cron job fired: plan this cohort's recent window into the outbox."""
        now = self.clock.now()
        return await self._enqueued(
            await self.planner.plan_cohort(tenant_id, cohort_id, now - FIRE_WINDOW, now)
        )

    async def rebuild_all(self) -> dict[str, CronTrigger]:
        """Make the job set match the cohort rows exactly (add, replace, remove by stable id)."""
        wanted = await self.wanted_jobs()
        existing = {job.id for job in self.scheduler.get_jobs() if job.id.startswith("prompts:")}
        for jid in existing - wanted.keys():
            self.scheduler.remove_job(jid)
        for jid, (trigger, tenant_id, cohort_id) in wanted.items():
            if jid not in existing:
                self.scheduler.add_job(
                    self.fire,
                    trigger,
                    args=(tenant_id, cohort_id),
                    id=jid,
                    replace_existing=True,
                    coalesce=True,
                    misfire_grace_time=3600,
                    max_instances=1,
                )
        return {jid: trigger for jid, (trigger, _, _) in wanted.items()}

    async def rebuild_after_change(self) -> None:
        """Rebuild once the change just committed is visible, sharing rebuilds between callers.

        Commands call this after committing (2,000 members joining at once call it 2,000
        times): a caller waits for the next rebuild that starts after it asked, so whoever asks
        while one runs shares the one that follows instead of queueing a rebuild each.
        """
        self._asked += 1
        ticket = self._asked
        async with self._rebuilding:
            if self._built >= ticket:  # a rebuild that began after we asked has finished
                return
            covers = self._asked
            await self.rebuild_all()
            self._built = covers

    async def wanted_jobs(self) -> dict[str, tuple[CronTrigger, int, int]]:
        async with system_session(self.sessions) as session:  # every tenant's cohorts
            cohorts = (await session.scalars(select(Cohort))).all()
            # One row per cohort, zone and role, not one per member: rebuilding stays cheap
            # however many members a cohort has.
            members = (
                await session.execute(
                    select(Member.cohort_id, Member.timezone, Member.role)
                    .where(Member.cohort_id.is_not(None))
                    .distinct()
                )
            ).all()
        by_cohort: dict[int, list[Someone]] = {}
        for member in members:
            by_cohort.setdefault(member.cohort_id or 0, []).append(member)
        wanted: dict[str, tuple[CronTrigger, int, int]] = {}
        for cohort in cohorts:
            for moment in cohort_moments(cohort, by_cohort.get(cohort.id, [])):
                wanted[job_id(cohort, moment)] = (trigger_for(moment), cohort.tenant_id, cohort.id)
        return wanted

    async def _enqueued(self, count: int) -> int:
        if count:
            log.info("enqueued %d prompts", count)
            self.on_enqueued()
        return count
