"""Scheduled prompts delivered through the real Discord adapter to the fake Discord."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from tests.discord.harness import USERS, Harness, texts_of
from tests.fakes.discord_server import API

THURSDAY_0901 = datetime(2026, 11, 19, 9, 1, tzinfo=UTC)


async def test_standups_reach_each_member_by_dm_exactly_once_through_a_429(
    cohort: Harness, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    app, fake = cohort.app, cohort.fake
    now = app.clock.now()
    assert await PromptPlanner(app.sessions).plan_all(now.replace(hour=8), now) == 4
    fake.rate_limit_next("POST", rf"{API}/channels/\d+/messages", retry_after=0.05)
    worker = DeliveryWorker(
        app.sessions, {"discord": cohort.adapter}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    await worker.drain()
    await worker.drain()
    posts = fake.sent("POST", rf"{API}/channels/\d+/messages")
    assert [r.status for r in posts].count(429) == 1, "the fake rate-limited one send"
    sent = [r for r in posts if r.status == 200]
    by_channel = {r.path.split("/")[-2]: r for r in sent}
    dms = {fake.dm_channel(USERS[name]): name for name in ("alice", "bob")}
    assert sorted(dms[c] for c in by_channel) == ["alice", "bob"]
    assert len(sent) == 2, "one standup each, none repeated after the 429"
    for record in sent:
        body = record.json
        assert body["enforce_nonce"] is True and body["nonce"]
        assert any("Good morning" in t for t in texts_of(body))
    assert worker.outcomes == {"sent": 2, "skipped": 2}


async def test_the_summary_pings_exactly_who_has_not_checked_in(
    cohort: Harness, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await cohort.say("coach", "/cohort settings mention-missing=on")
    alice = USERS["alice"]
    await cohort.say("alice", f'/standup yesterday="sent 2" today="<@{alice}> demo" blockers=none')
    time_machine.move_to(THURSDAY_0901.replace(hour=17, minute=0, second=30), tick=False)
    app, fake = cohort.app, cohort.fake
    now = app.clock.now()
    await PromptPlanner(app.sessions).plan_all(now.replace(hour=16), now)
    worker = DeliveryWorker(
        app.sessions, {"discord": cohort.adapter}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    await worker.drain()
    [summary] = [
        r.json
        for r in fake.sent("POST", rf"{API}/channels/\d+/messages")
        if any("Standup summary" in t for t in texts_of(r.json))
    ]
    bob = USERS["bob"]
    assert summary["content"] == f"<@{bob}>"
    assert summary["allowed_mentions"] == {"parse": [], "users": [int(bob)]}
    assert any(f"Still to check in today: <@{bob}>." in t for t in texts_of(summary))
    assert f"<@{alice}>" not in json.dumps(summary)  # what alice typed stays inert text
