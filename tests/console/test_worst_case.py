"""The worst-case cohort (tests/worst_case.py) through the core: every heavy read a member or a
coach can ask for, and every scheduled prompt, answers without a failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.console import ConsoleAdapter
from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from tests.fakes.recording_deliverer import FakeDeliverer
from tests.worst_case import MEMBERS, PROMPT_TICKS, seed_worst_case

HEAVY_READS = [
    "/apps",
    "/app show A1",
    "/app show A300",
    "/contacts",
    "/contact show C50",
    "/followups",
    "/stats",
    "/streak",
    "/history",
    "/dashboard",
    "/leaderboard",
    "/cohort members",
    "/export tracker",
    "/export tracker format=csv",
    "/privacy export",
    "/review",
    "/chart week",
    "/chart funnel",
    "/plan show",
    "/calendar file",
]
COACH_READS = ["/cohort report", "/cohort schedule", "/chart cohort"]


@pytest.fixture
async def worst(console: ConsoleAdapter, time_machine) -> ConsoleAdapter:
    time_machine.move_to(datetime(2026, 11, 19, 16, 0, tzinfo=UTC), tick=False)
    await seed_worst_case(
        console.app.sessions,
        platform="console",
        tenant="local",
        channel_id="console",
        user_id=lambda i: f"m{i:03d}",
        coach_id="coach",
    )
    return console


@pytest.mark.parametrize("line", HEAVY_READS)
async def test_the_heaviest_member_reads_everything(worst: ConsoleAdapter, line: str) -> None:
    reply = await worst.ask("m000", line)
    assert reply.ok, reply.plain_text()


@pytest.mark.parametrize("line", COACH_READS)
async def test_the_coach_reads_the_whole_cohort(worst: ConsoleAdapter, line: str) -> None:
    reply = await worst.ask("coach", line)
    assert reply.ok, reply.plain_text()


async def test_every_scheduled_prompt_renders_for_the_worst_case(
    worst: ConsoleAdapter, time_machine
) -> None:
    deliverer = FakeDeliverer()
    app = worst.app
    worker = DeliveryWorker(
        app.sessions, {"console": deliverer}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    ticks = PROMPT_TICKS
    since = ticks[0] - timedelta(hours=1)
    for tick in ticks:
        time_machine.move_to(tick, tick=False)
        await PromptPlanner(app.sessions).plan_all(since, tick)
        await worker.drain()
        since = tick
    kinds = {key.split(":")[0] for _, _, key in deliverer.sent}
    assert {"standup", "summary", "retro", "retro_summary", "leaderboard", "digest"} <= kinds
    assert worker.outcomes["failed"] == 0
    summary = next(r for _, r, k in deliverer.sent if k.startswith("summary"))
    assert len(summary.thread) == 100  # one card per answer, under the summary
    assert f"100 of {MEMBERS} checked in" in summary.plain_text()
