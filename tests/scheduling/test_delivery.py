"""The outbox and the delivery worker end to end: exactly once, retries, crashes, expiry."""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.delivery import RetryLater, Unreachable
from bot.replies import Fields, Mention, Table, Text, Visibility
from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from storage.models import Member, OutboxMessage
from storage.outbox import OutboxStore
from storage.scope import system_session
from tests.fakes.recording_deliverer import FakeDeliverer

THURSDAY_0901 = datetime(2026, 11, 19, 9, 1, tzinfo=UTC)


@pytest.fixture
def deliverer() -> FakeDeliverer:
    return FakeDeliverer()


def worker_for(
    console: ConsoleAdapter,
    deliverer: FakeDeliverer,
    name: str = "w1",
    lease: timedelta = timedelta(seconds=60),
) -> DeliveryWorker:
    app = console.app
    return DeliveryWorker(
        app.sessions,
        {"console": deliverer},
        app.clock,
        name,
        pacer=Pacer(enabled=False),
        lease=lease,
    )


async def plan(console: ConsoleAdapter, hours: float = 1) -> int:
    now = console.app.clock.now()
    return await PromptPlanner(console.app.sessions).plan_all(now - timedelta(hours=hours), now)


async def statuses(console: ConsoleAdapter) -> dict[str, int]:
    async with system_session(console.app.sessions) as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return dict(rows.all())


async def test_each_member_gets_one_standup_however_often_it_is_planned(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    assert await plan(cohort) == 4  # standup + follow-ups, for alice and bob
    assert await plan(cohort) == 0
    worker = worker_for(cohort, deliverer)
    await worker.drain()
    await plan(cohort, hours=3)
    await worker.drain()
    assert sorted(t.user_id for t, _, _ in deliverer.sent) == ["alice", "bob"]
    assert deliverer.keys("standup") == sorted(deliverer.keys("standup"), key=str)
    assert await statuses(cohort) == {"sent": 2, "skipped": 2}  # nothing due to follow up
    _, reply, _ = deliverer.sent[0]
    assert "check-in" in reply.plain_text() and "[Open standup]" in reply.plain_text()


async def test_rate_limited_sends_are_retried_after_retry_after(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    deliverer.script = deque([RetryLater(30, "429"), RetryLater(30, "429")])
    worker = worker_for(cohort, deliverer)
    await worker.drain()
    assert deliverer.sent == []
    assert (await statuses(cohort))["pending"] == 2
    time_machine.move_to(THURSDAY_0901 + timedelta(seconds=20), tick=False)
    assert await worker.drain() == 0, "Retry-After is honoured"
    time_machine.move_to(THURSDAY_0901 + timedelta(seconds=40), tick=False)
    await worker.drain()
    assert sorted(t.user_id for t, _, _ in deliverer.sent) == ["alice", "bob"]
    assert deliverer.attempts == 4


async def test_unreachable_members_are_marked_skipped_and_listed_for_the_coach(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    deliverer.script = deque([Unreachable("cannot_dm_bot")])
    await worker_for(cohort, deliverer).drain()
    async with system_session(cohort.app.sessions) as session:
        marked = (
            await session.scalars(select(Member).where(Member.unreachable_since.is_not(None)))
        ).all()
    assert [m.unreachable_reason for m in marked] == ["cannot_dm_bot"]
    time_machine.move_to(THURSDAY_0901 + timedelta(days=1), tick=False)
    await plan(cohort)
    await worker_for(cohort, deliverer).drain()
    fridays = [t.user_id for t, _, k in deliverer.sent if k.endswith("2026-11-20")]
    assert marked[0].platform_user_id not in fridays and len(fridays) == 1
    time_machine.move_to(datetime(2026, 11, 23, 8, 1, tzinfo=UTC), tick=False)
    await plan(cohort)
    await worker_for(cohort, deliverer).drain()
    (digest,) = [r for t, r, k in deliverer.sent if k.startswith("digest")]
    assert "Can't be messaged" in digest.plain_text()
    assert "cannot_dm_bot" in digest.plain_text()


async def test_a_crash_mid_fan_out_sends_nobody_twice_and_skips_nobody(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    crashed = worker_for(cohort, deliverer, "crashed")
    claims = await crashed.store.claim("crashed", THURSDAY_0901, timedelta(seconds=60), 10)
    standups = [c for c in claims if c.row.kind == "standup"]
    # The crashed worker got one message out before dying; the other was in flight, unknown.
    first = standups[0].row
    deliverer.arrived.add(first.key)
    deliverer.sent.append((None, None, first.key))  # type: ignore[arg-type]
    time_machine.move_to(THURSDAY_0901 + timedelta(seconds=30), tick=False)
    survivor = worker_for(cohort, deliverer, "survivor")
    assert await survivor.drain() == 0, "a live lease is respected"
    time_machine.move_to(THURSDAY_0901 + timedelta(seconds=90), tick=False)
    await survivor.drain()
    assert sorted(deliverer.keys("standup")) == sorted(c.row.key for c in standups)
    assert len(deliverer.keys("standup")) == 2
    async with system_session(cohort.app.sessions) as session:
        recovered = await session.scalar(select(OutboxMessage).where(OutboxMessage.id == first.id))
    assert recovered.status == "sent" and recovered.last_error == "recovered"
    assert not await crashed.store.finish(first.id, "crashed", status="sent")


async def test_prompts_whose_day_has_passed_expire_unsent(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    time_machine.move_to(datetime(2026, 11, 20, 0, 5, tzinfo=UTC), tick=False)
    await worker_for(cohort, deliverer).drain()
    assert deliverer.sent == []
    assert await statuses(cohort) == {"expired": 4}


async def test_reminders_and_summary(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await cohort.say("alice", '/standup yesterday="applied to 3" today="mock interview"')
    time_machine.move_to(datetime(2026, 11, 19, 13, 0, 30, tzinfo=UTC), tick=False)
    await plan(cohort, hours=0.5)
    await worker_for(cohort, deliverer).drain()
    assert [t.user_id for t, _, k in deliverer.sent if k.startswith("reminder")] == ["bob"]
    await cohort.say("coach", "/cohort settings mention-missing=on")
    time_machine.move_to(datetime(2026, 11, 19, 17, 0, 30, tzinfo=UTC), tick=False)
    await plan(cohort, hours=0.5)
    await worker_for(cohort, deliverer).drain()
    (target, summary, _) = next(s for s in deliverer.sent if s[2].startswith("summary"))
    assert target.channel_id == "console" and summary.visibility is Visibility.CHANNEL
    text = summary.plain_text()
    assert "1 of 2 checked in" in text and "mock interview" in text
    assert "Still to check in today: @bob." in text
    spans = [span for block in summary.blocks if isinstance(block, Text) for span in block.spans]
    assert Mention("bob", "bob", notify=True) in spans  # a real mention, rendered per platform


async def test_a_late_answer_makes_the_reminder_unnecessary(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 19, 13, 0, 30, tzinfo=UTC), tick=False)
    await plan(cohort, hours=0.5)
    await cohort.say("bob", "/skip")
    await worker_for(cohort, deliverer).drain()
    assert [t.user_id for t, _, k in deliverer.sent if k.startswith("reminder")] == ["alice"]


async def test_blockers_three_working_days_running_reach_the_coach(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    for day in (16, 17, 18):  # Mon-Wed
        time_machine.move_to(datetime(2026, 11, day, 10, tzinfo=UTC), tick=False)
        reply = await cohort.say("alice", '/standup yesterday=a today=b blockers="no laptop"')
    assert "Your coach has been told" in reply
    await worker_for(cohort, deliverer).drain()
    ((target, alert, _),) = deliverer.sent
    assert target.user_id == "coach"
    assert "alice has reported a blocker three working days running" in alert.plain_text()


async def test_concurrent_claims_never_share_a_row(cohort: ConsoleAdapter, time_machine) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    store = OutboxStore(cohort.app.sessions)
    results = await asyncio.gather(
        *(store.claim(f"w{i}", THURSDAY_0901, timedelta(seconds=60), 2) for i in range(3))
    )
    ids = [c.row.id for claims in results for c in claims]
    assert len(ids) == len(set(ids)) == 4


async def test_an_answer_after_the_summary_is_accepted_and_marked_late(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 19, 17, 0, 30, tzinfo=UTC), tick=False)
    await plan(cohort, hours=0.5)
    await worker_for(cohort, deliverer).drain()
    assert deliverer.keys("summary")
    time_machine.move_to(datetime(2026, 11, 19, 18, 0, tzinfo=UTC), tick=False)
    reply = await cohort.say("bob", "/standup yesterday=a today=b")
    assert "Standup saved" in reply and "Marked late" in reply
    again = await cohort.say("bob", "/standup blockers=none")
    assert "Standup updated" in again and "late" not in again


async def test_timeouts_and_server_errors_are_retried_without_duplicates(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    deliverer.script = deque([TimeoutError("read timed out"), RetryLater(5, "HTTP 500")])
    worker = worker_for(cohort, deliverer)
    await worker.drain()
    assert deliverer.sent == []
    time_machine.move_to(THURSDAY_0901 + timedelta(minutes=5), tick=False)
    await worker.drain()
    assert sorted(t.user_id for t, _, _ in deliverer.sent) == ["alice", "bob"]
    assert len(deliverer.keys("standup")) == 2


async def test_big_channel_posts_put_the_detail_in_their_thread(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    """The standup summary keeps each answer under it; a leaderboard of more than ten shows the
    top ten in the channel and the whole ranking in the thread."""
    names = [f"member{i:02d}" for i in range(12)]
    for name in names:
        await cohort.say(name, '/cohort join "Fall 2026"')
    time_machine.move_to(datetime(2026, 11, 19, 10, 0, tzinfo=UTC), tick=False)
    for name in ("alice", *names):
        await cohort.say(name, '/standup yesterday="applied" today="mock interview" blockers=none')
        await cohort.say(name, "/apply Stripe Dev")
    time_machine.move_to(datetime(2026, 11, 19, 17, 0, 30, tzinfo=UTC), tick=False)
    await cohort.say("coach", "/cohort prompt summary")
    await worker_for(cohort, deliverer).drain()
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, 30, tzinfo=UTC), tick=False)
    await plan(cohort, hours=0.5)
    await worker_for(cohort, deliverer).drain()
    sent = {key.split(":")[0]: reply for _, reply, key in deliverer.sent}
    summary = sent["summary"]
    assert "13 of 14 checked in" in Text(*summary.blocks[0].spans).plain()  # type: ignore[union-attr]
    assert len(summary.thread) == 13 and not any(isinstance(b, Fields) for b in summary.blocks)
    board = sent["leaderboard"]
    [top] = [b for b in board.blocks if isinstance(b, Table)]
    [everyone] = board.thread
    assert isinstance(everyone, Table)
    assert len(top.rows) == 10 and len(everyone.rows) == 14
    assert "The whole ranking (14 members) is in the thread." in board.plain_text()


class SlowDeliverer(FakeDeliverer):
    """A platform whose sends block until the test lets them through (a slow, live send)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.started = asyncio.Event()

    async def send(self, target, reply, key):  # type: ignore[no-untyped-def]
        self.started.set()
        await self.gate.wait()
        return await super().send(target, reply, key)


async def test_a_send_that_outlasts_its_lease_is_delivered_exactly_once(
    cohort: ConsoleAdapter, time_machine
) -> None:
    """The heartbeat keeps extending a live send's lease, so no other replica takes it over."""
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    slow = SlowDeliverer()
    first = DeliveryWorker(
        cohort.app.sessions,
        {"console": slow},
        cohort.app.clock,
        "slow",
        pacer=Pacer(enabled=False),
        lease=timedelta(seconds=10),  # each extension buys ten seconds
        heartbeat=0.02,
    )
    first.send_timeout = 600.0  # a slow but live send (the platform is still answering)
    running = asyncio.create_task(first.run_once())
    await asyncio.wait_for(slow.started.wait(), 5)
    for minute in range(1, 4):  # three minutes of wall clock pass while the send is out
        time_machine.move_to(THURSDAY_0901 + timedelta(minutes=minute), tick=False)
        await asyncio.sleep(0.1)  # a few heartbeats at the new time
        other = FakeDeliverer()
        assert await worker_for(cohort, other, "other").run_once() == 0
        assert other.attempts == 0
    slow.gate.set()
    await asyncio.wait_for(running, 10)
    assert sorted(t.user_id for t, _, k in slow.sent if k.startswith("standup")) == [
        "alice",
        "bob",
    ]
    assert (await statuses(cohort))["sent"] == 2


async def test_a_worker_that_lost_its_lease_cannot_overwrite_a_newer_attempt(
    cohort: ConsoleAdapter, deliverer: FakeDeliverer, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    store = worker_for(cohort, deliverer).store
    [old, *_] = await store.claim("w1", THURSDAY_0901, timedelta(seconds=60), 1)
    time_machine.move_to(THURSDAY_0901 + timedelta(minutes=2), tick=False)
    [new] = await store.claim("w1", THURSDAY_0901 + timedelta(minutes=2), timedelta(seconds=60), 1)
    assert new.row.id == old.row.id and new.row.attempts == old.row.attempts + 1
    assert await store.finish_many("w1", [(old.row, {"status": "failed"})]) == 0  # fenced off
    assert await store.finish_many("w1", [(new.row, {"status": "sent"})]) == 1


async def test_a_send_that_times_out_is_checked_before_it_is_sent_again(
    cohort: ConsoleAdapter, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await plan(cohort)
    slow = SlowDeliverer()
    worker = DeliveryWorker(
        cohort.app.sessions,
        {"console": slow},
        cohort.app.clock,
        "w",
        pacer=Pacer(enabled=False),
        lease=timedelta(seconds=60),
    )
    worker.send_timeout = 0.05
    await worker.run_once()
    assert slow.sent == [] and (await statuses(cohort))["pending"] == 2
    slow.gate.set()  # the platform answers again; nothing of the timed-out sends arrived
    time_machine.move_to(THURSDAY_0901 + timedelta(minutes=5), tick=False)
    checks: list[str] = []
    original = slow.was_delivered

    async def was_delivered(target, key):  # type: ignore[no-untyped-def]
        checks.append(key)
        return await original(target, key)

    slow.was_delivered = was_delivered  # type: ignore[method-assign]
    await worker.drain()
    assert len(checks) == 2, "each uncertain send was checked with the platform first"
    assert len([k for _, _, k in slow.sent if k.startswith("standup")]) == 2
