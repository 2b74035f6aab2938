"""The scheduling service: the delivery worker in every process, the scheduler in the leader.

`offerbound run` starts one next to the platform adapter. Adapters hand in their deliverers
(platform name -> Deliverer); rows for a platform this process does not serve are left for a
process that does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Mapping
from datetime import timedelta

from bot.app import App
from bot.delivery import Deliverer
from bot.scheduling.jobs import PromptScheduler
from bot.scheduling.leader import Leadership, leadership_for
from bot.scheduling.pacer import Pacer
from bot.scheduling.worker import DeliveryWorker

log = logging.getLogger("offerbound.scheduling")


class SchedulingService:
    """Runs delivery everywhere and, while this process leads, the prompt scheduler."""

    def __init__(
        self,
        app: App,
        deliverers: Mapping[str, Deliverer],
        *,
        worker_id: str | None = None,
        pacer: Pacer | None = None,
        leadership: Leadership | None = None,
        poll: float = 1.0,
        leader_retry: float = 3.0,
    ) -> None:
        self.app = app
        self.worker = DeliveryWorker(
            app.sessions,
            deliverers,
            app.clock,
            worker_id or f"{socket.gethostname()}:{os.getpid()}",
            pacer=pacer or Pacer(enabled=app.settings.delivery_pacer),
            lease=timedelta(seconds=app.settings.delivery_lease_seconds),
            metrics=app.metrics,
        )
        self.jobs = PromptScheduler(
            app.sessions, app.clock, on_enqueued=self.worker.wake, settings=app.settings
        )
        self.leadership = leadership or leadership_for(app.engine)
        self.poll = poll
        self.leader_retry = leader_retry
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
        self._stop.set()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        self.jobs.stop()
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
            await self.jobs.rebuild_all()
