"""APScheduler jobs rebuilt from cohort rows, and the scheduling service wired to the console."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

from adapters.console import ConsoleAdapter
from bot.scheduling.jobs import PromptScheduler, trigger_for
from bot.scheduling.pacer import Pacer
from bot.scheduling.service import SchedulingService
from tests.fakes.recording_deliverer import FakeDeliverer


async def test_job_ids_are_stable_and_cover_every_zone(cohort: ConsoleAdapter) -> None:
    await cohort.say("bob", "/me timezone=Asia/Tokyo")
    jobs = PromptScheduler(cohort.app.sessions, cohort.app.clock)
    wanted = await jobs.wanted_jobs()
    ids = set(wanted)
    assert "prompts:c1:UTC:mon,tue,wed,thu,fri:09:00" in ids  # alice's standup
    assert "prompts:c1:Asia/Tokyo:mon,tue,wed,thu,fri:09:00" in ids  # bob's standup
    assert "prompts:c1:Asia/Tokyo:mon,tue,wed,thu,fri:13:00" in ids  # bob's reminder
    assert "prompts:c1:UTC:mon:08:00" in ids  # the coach's digest
    assert "prompts:c1:UTC:mon,tue,wed,thu,fri:17:00" in ids  # the channel summary
    assert set(await jobs.wanted_jobs()) == ids


def test_cron_triggers_keep_local_time_across_dst() -> None:
    trigger = trigger_for(("America/New_York", (0, 1, 2, 3, 4), datetime(2000, 1, 1, 9).time()))
    before = trigger.get_next_fire_time(None, datetime(2026, 10, 30, 12, tzinfo=UTC))
    after = trigger.get_next_fire_time(None, datetime(2026, 10, 31, 12, tzinfo=UTC))
    assert before.astimezone(UTC) == datetime(2026, 10, 30, 13, tzinfo=UTC)  # EDT
    assert after.astimezone(UTC) == datetime(2026, 11, 2, 14, tzinfo=UTC)  # EST


async def test_rebuild_replaces_jobs_when_settings_change(cohort: ConsoleAdapter) -> None:
    jobs = PromptScheduler(cohort.app.sessions, cohort.app.clock)
    first = set(await jobs.rebuild_all())
    await cohort.say("coach", "/cohort settings standup=08:15 days=mon,wed,fri")
    second = set(await jobs.rebuild_all())
    assert "prompts:c1:UTC:mon,wed,fri:08:15" in second
    assert "prompts:c1:UTC:mon,tue,wed,thu,fri:09:00" in first - second
    assert {j.id for j in jobs.scheduler.get_jobs()} == second


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_service_leads_on_sqlite_rebuilds_on_change_and_delivers(
    cohort: ConsoleAdapter, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 19, 9, 0, 30, tzinfo=UTC), tick=False)
    deliverer = FakeDeliverer()
    service = SchedulingService(
        cohort.app, {"console": deliverer}, pacer=Pacer(enabled=False), poll=0.05, leader_retry=0.05
    )
    await service.start()
    try:
        await _until(lambda: service.is_leader)
        # The start-up catch-up found this morning's standups and delivered them.
        await _until(lambda: len(deliverer.keys("standup")) == 2)
        await cohort.say("coach", "/cohort settings standup=10:30")
        jobs = {j.id for j in service.jobs.scheduler.get_jobs()}
        assert "prompts:c1:UTC:mon,tue,wed,thu,fri:10:30" in jobs
        assert "prompts:c1:UTC:mon,tue,wed,thu,fri:09:00" not in jobs
        reply = await cohort.say("coach", "/cohort prompt retro member=@alice")
        assert "Queued the retro for alice" in reply
        await _until(lambda: len(deliverer.keys("retro")) == 1)
        assert len(deliverer.keys("standup")) == 2, "nothing was sent twice"
    finally:
        await service.stop()
    assert not service.is_leader
    assert service.app.hooks.schedule_changed == []


async def test_console_run_prints_scheduled_messages(cohort: ConsoleAdapter, time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 19, 9, 0, 30, tzinfo=UTC), tick=False)
    service = SchedulingService(
        cohort.app, {"console": cohort}, pacer=Pacer(enabled=False), poll=0.05, leader_retry=0.05
    )
    cohort.out = io.StringIO()
    await service.start()
    try:
        await _until(
            lambda: "DM to alice" in cohort.out.getvalue() and "DM to bob" in cohort.out.getvalue()
        )
    finally:
        await service.stop()
    assert "Good morning, alice" in cohort.out.getvalue()
    assert cohort.sent_keys == {"standup:m2:2026-11-19", "standup:m3:2026-11-19"}
