"""The delivery pacer keeps to each platform's pace per channel, workspace and bot, and on
PostgreSQL every replica spends from the same buckets, so together they send no faster than one."""

from __future__ import annotations

import time

import pytest

from bot.platform import RateLimit
from bot.scheduling.pacer import LocalBuckets, Pacer
from storage.engine import create_engine, session_factory
from storage.pace import SharedPace

LIMITS = {"chat": (RateLimit(10, 10), RateLimit(1, 3), RateLimit(45, 10))}


class Recorded:
    """Sleeps that only count (the pacer's arithmetic, without waiting for it)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


async def test_a_channel_gets_one_message_a_second_after_its_burst() -> None:
    now = [0.0]
    slept = Recorded()
    pacer = Pacer(LIMITS, buckets=LocalBuckets(lambda: now[0]), sleep=slept)
    waits = [await pacer.wait("chat", "T1", "C1") for _ in range(6)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3:] == pytest.approx([1.0, 2.0, 3.0])
    assert await pacer.wait("chat", "T1", "C2") == 0.0, "another channel has its own bucket"


async def test_a_retry_after_holds_the_whole_workspace() -> None:
    now = [0.0]
    pacer = Pacer(LIMITS, buckets=LocalBuckets(lambda: now[0]), sleep=Recorded())
    await pacer.back_off("chat", "T1", 7.0)
    assert await pacer.wait("chat", "T1", "C9") == pytest.approx(7.0)
    assert await pacer.wait("chat", "T2", "C9") == 0.0


async def test_replicas_share_one_pace_on_postgres(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one process: its pace is the process's own")
    engine = create_engine(database_url)
    try:
        shared = [SharedPace(session_factory(engine)) for _ in range(3)]  # three replicas
        limits = {"chat": (RateLimit(10, 10), None, None)}
        sleeps = [Recorded() for _ in shared]
        pacers = [Pacer(limits, buckets=b, sleep=s) for b, s in zip(shared, sleeps, strict=True)]
        started = time.monotonic()
        for n in range(40):  # forty sends to one workspace, spread over the replicas
            await pacers[n % 3].wait("chat", "T-shared")
        spent = time.monotonic() - started  # the buckets refilled meanwhile, by the server's clock
        latest = max(d for s in sleeps for d in s.delays)
        # 30 sends past the burst at 10 a second: the last may go 3 s after the first, however
        # the sends were spread over the replicas (one pace, not three).
        assert latest + spent == pytest.approx(3.0, abs=0.25)
        await pacers[0].back_off("chat", "T-blocked", 60)
        assert await pacers[2].wait("chat", "T-blocked") == pytest.approx(60, abs=1)
    finally:
        await engine.dispose()
