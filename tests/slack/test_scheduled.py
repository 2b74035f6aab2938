"""Scheduled prompts through the real Slack adapter: metadata-based recovery after a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from storage.models import OutboxMessage
from storage.scope import system_session
from tests.slack.harness import SlackHarness

THURSDAY_0901 = datetime(2026, 11, 19, 9, 1, tzinfo=UTC)


def standup_posts(slack: SlackHarness) -> list:
    return [
        c
        for c in slack.fake.calls_to("chat.postMessage")
        if str((c.body.get("metadata") or {}).get("event_payload", {}).get("key", "")).startswith(
            "standup"
        )
    ]


async def test_a_crash_after_posting_is_recovered_from_history_without_a_repeat(
    cohort: SlackHarness, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    app = cohort.adapter.core
    now = app.clock.now()
    await PromptPlanner(app.sessions).plan_all(now - timedelta(hours=1), now)
    deliverers = {"slack": cohort.adapter}
    crashed = DeliveryWorker(
        app.sessions, deliverers, app.clock, "crashed", pacer=Pacer(enabled=False)
    )
    claims = await crashed.store.claim("crashed", now, timedelta(seconds=60), 10)
    prepared = await crashed._prepare_batch(claims)
    first = next(c for c in claims if c.row.kind == "standup")
    # The process posts alice's (or bob's) standup, then dies before recording it.
    await cohort.adapter.send(
        prepared[first.row.id].target, prepared[first.row.id].reply, first.row.key
    )
    assert len(standup_posts(cohort)) == 1

    time_machine.move_to(THURSDAY_0901 + timedelta(minutes=2), tick=False)
    cohort.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    survivor = DeliveryWorker(
        app.sessions, deliverers, app.clock, "survivor", pacer=Pacer(enabled=False)
    )
    await survivor.drain()
    time_machine.move_to(THURSDAY_0901 + timedelta(minutes=3), tick=False)
    await survivor.drain()

    posts = standup_posts(cohort)
    assert len(posts) == 2 + 1, "two standups, plus one attempt Slack answered with 429"
    keys = [p.body["metadata"]["event_payload"]["key"] for p in posts]
    assert len(set(keys)) == 2, "each member's standup was accepted once"
    assert cohort.fake.calls_to("conversations.history"), "recovery looked at the DM history"
    async with system_session(app.sessions) as session:
        rows = dict(
            (
                await session.execute(
                    select(OutboxMessage.last_error, func.count())
                    .where(OutboxMessage.kind == "standup", OutboxMessage.status == "sent")
                    .group_by(OutboxMessage.last_error)
                )
            ).all()
        )
    assert rows.get("recovered") == 1 and sum(rows.values()) == 2


async def test_a_storm_of_429s_and_500s_loses_and_repeats_nothing(
    cohort: SlackHarness, time_machine
) -> None:
    names = [f"member{i}" for i in range(8)]
    for name in names:
        await cohort.command('cohort join "Fall 2026"', user=name)
    time_machine.move_to(THURSDAY_0901 + timedelta(days=1), tick=False)  # Friday: all joined
    app = cohort.adapter.core
    now = app.clock.now()
    await PromptPlanner(app.sessions).plan_all(now - timedelta(hours=1), now)
    cohort.fake.fail_next("chat.postMessage", status=429, retry_after=1, times=6)
    cohort.fake.fail_next("conversations.open", status=500, error="internal_error", times=3)
    worker = DeliveryWorker(
        app.sessions, {"slack": cohort.adapter}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    for minute in range(1, 30):
        await worker.drain()
        if worker.outcomes["sent"] >= 10:
            break
        time_machine.move_to(now + timedelta(minutes=minute), tick=False)
    keys = [p.body["metadata"]["event_payload"]["key"] for p in standup_posts(cohort)]
    assert len(set(keys)) == 10, "all ten members got their standup"
    assert len(keys) == 10 + 6, "the only repeats are the six attempts Slack rate-limited"
    assert worker.outcomes["sent"] == 10


async def test_the_summary_pings_who_has_not_checked_in_when_the_cohort_wants_it(
    cohort: SlackHarness, time_machine
) -> None:
    time_machine.move_to(THURSDAY_0901, tick=False)
    await cohort.command("cohort settings mention-missing=on", user="coach")
    await cohort.command(
        'standup yesterday="sent 2" today="<@UALICE> mock interview" blockers=none',
        user="alice",
    )
    time_machine.move_to(THURSDAY_0901.replace(hour=17, minute=0, second=30), tick=False)
    app = cohort.adapter.core
    now = app.clock.now()
    await PromptPlanner(app.sessions).plan_all(now - timedelta(hours=1), now)
    worker = DeliveryWorker(
        app.sessions, {"slack": cohort.adapter}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    await worker.drain()
    [summary] = [
        c for c in cohort.fake.calls_to("chat.postMessage") if "Standup summary" in c.text()
    ]
    assert summary.body["channel"] == "C0COHORT"
    mrkdwn = " ".join(
        b["text"]["text"] for b in summary.body["blocks"] if b["type"] == "section" and "text" in b
    )
    assert "Still to check in today: <@UBOB>." in mrkdwn  # a live mention: Slack pings bob
    assert "<@UALICE>" not in str(summary.body)  # what alice typed stays inert text
