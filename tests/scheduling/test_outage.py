"""The database goes away and comes back: commands say "try again", nothing queued is lost, and
delivery and the scheduler resume by themselves."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import make_url

from adapters.console import ConsoleAdapter
from bot.app import build_app
from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.service import SchedulingService
from bot.settings import Settings
from tests.fakes.recording_deliverer import FakeDeliverer
from tests.fakes.tcp_proxy import FakeOutage

THURSDAY_0901 = datetime(2026, 11, 19, 9, 1, tzinfo=UTC)


async def until(predicate, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_an_outage_loses_nothing_and_everything_resumes(
    database_url: str, time_machine
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs a database server to take away (PostgreSQL through a proxy)")
    url = make_url(database_url)
    outage = await FakeOutage(url.host or "127.0.0.1", url.port or 5432).start()
    proxied = url.set(host="127.0.0.1", port=outage.port).render_as_string(hide_password=False)
    time_machine.move_to(datetime(2026, 11, 18, 15, tzinfo=UTC), tick=False)
    app = await build_app(
        Settings(database_url=proxied, default_timezone="UTC", _env_file=None), migrate=False
    )
    console = ConsoleAdapter(app)
    deliverer = FakeDeliverer()
    service = SchedulingService(
        app, {"console": deliverer}, pacer=Pacer(enabled=False), poll=0.05, leader_retry=0.1
    )
    try:
        await console.say("coach", '/cohort create "Fall 2026" timezone=UTC')
        for name in ("alice", "bob"):
            await console.say(name, '/cohort join "Fall 2026"')
        time_machine.move_to(THURSDAY_0901, tick=False)
        now = app.clock.now()
        assert await PromptPlanner(app.sessions).plan_all(now - timedelta(hours=1), now) == 4

        await outage.cut()
        reply = await console.say("alice", "/practice 30m")
        assert "try again in a moment" in reply and "Traceback" not in reply
        await service.start()  # starts during the outage: no crash, it keeps trying
        await asyncio.sleep(0.5)
        assert deliverer.sent == []

        outage.restore()
        await until(lambda: len(deliverer.keys("standup")) == 2)
        await until(lambda: service.is_leader)
        assert "Logged 30m of practice" in await console.say("alice", "/practice 30m")
        assert sorted(t.user_id for t, _, _ in deliverer.sent) == ["alice", "bob"]
    finally:
        await service.stop()
        await app.close()
        await outage.close()
