"""The scheduling service: the delivery worker in every process, the scheduler in the leader.

The runtime starts one next to the platforms it serves (platform name -> ``Platform``); rows for
a platform this process does not serve are left for a process that does. Stopping lets the batch
in flight finish, hands back any row still held, and releases the leadership.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.platform import Outbound
from bot.scheduling.jobs import PromptScheduler
from bot.scheduling.leader import Leadership, leadership_for
from bot.scheduling.pacer import Buckets, LocalBuckets, Pacer, limits_of
from bot.scheduling.worker import DeliveryWorker
from storage.pace import SharedPace

if TYPE_CHECKING:
    from bot.app import App  # the core it serves; the commands behind it are none of its business

log = logging.getLogger("offerbound.scheduling")


def shared_buckets(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> Buckets:
    """The pace every replica shares (PostgreSQL), or this process's own (SQLite)."""
    if engine.dialect.name == "postgresql":
        return SharedPace(sessions)
    return LocalBuckets()


class SchedulingService:
    """Runs delivery everywhere and, while this process leads, the prompt scheduler."""

    def __init__(
        self,
        app: App,
        platforms: Mapping[str, Outbound],
        *,
        worker_id: str | None = None,
        pacer: Pacer | None = None,
        leadership: Leadership | None = None,
        poll: float = 1.0,
        leader_retry: float = 3.0,
        grace: float = 10.0,
    ) -> None:
        self.app = app
        self.worker = DeliveryWorker(
            app.sessions,
            platforms,
            app.clock,
            worker_id or f"{socket.gethostname()}:{os.getpid()}",
            pacer=pacer
            or Pacer(
                limits_of(platforms),
                enabled=app.settings.delivery_pacer,
                buckets=shared_buckets(app.engine, app.sessions),
            ),
            lease=timedelta(seconds=app.settings.delivery_lease_seconds),
            metrics=app.metrics,
        )
        self.jobs = PromptScheduler(
            app.sessions, app.clock, on_enqueued=self.worker.wake, settings=app.settings
        )
        self.leadership = leadership or leadership_for(app.engine)
        self.poll = poll
        self.leader_retry = leader_retry
        self.grace = grace
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        app.hooks.schedule_changed.append(self._schedule_changed)
        app.hooks.outbox_written.append(self.worker.wake)

    @property
    def is_leader(self) -> bool:
        return self.jobs.running

    async def start(self) -> None:
        self._stop.clear()
        self._tasks = [
            asyncio.create_task(self.worker.run_forever(self._stop, self.poll), name="delivery"),
            asyncio.create_task(self._lead(), name="leadership"),
        ]

    async def stop(self) -> None:
        """Finish the batch being delivered (up to ``grace`` seconds), then let go of the rest."""
        self._stop.set()
        for task in self._tasks:
            if task.get_name() == "delivery":
                with contextlib.suppress(TimeoutError, asyncio.CancelledError, Exception):
                    await asyncio.wait_for(asyncio.shield(task), self.grace)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        self.jobs.stop()
        try:
            released = await self.worker.store.release(self.worker.worker_id, self.app.clock.now())
            if released:
                log.info("handed back %d prompts another replica may now send", released)
        except Exception:
            log.warning("could not hand back this worker's prompts", exc_info=True)
        with contextlib.suppress(Exception):
            await self.leadership.release()
        self.app.hooks.schedule_changed[:] = [
            h for h in self.app.hooks.schedule_changed if h != self._schedule_changed
        ]
        self.app.hooks.outbox_written[:] = [
            h for h in self.app.hooks.outbox_written if h != self.worker.wake
        ]

    async def _lead(self) -> None:
        """Try to lead; start the scheduler on winning, stop it if leadership is lost."""
        while not self._stop.is_set():
            try:
                leading = await self.leadership.try_acquire()
                if leading and not self.jobs.running:
                    log.info("this process now runs the scheduler")
                    await self.jobs.start()
                elif not leading and self.jobs.running:
                    log.warning("lost leadership; scheduler stopped")
                    self.jobs.stop()
            except Exception:
                log.exception("leadership check failed; trying again")
                if self.jobs.running:
                    self.jobs.stop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.leader_retry)

    async def _schedule_changed(self) -> None:
        if self.jobs.running:
            await self.jobs.rebuild_after_change()
