"""Regressions for what real Slack refused while the old fake said ``ok``: a big cohort's summary
past msg_blocks_too_long, a 350-item /followups, and the channel recovery check without
channels:history (a recovered post sent twice)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.domain.calendar import week_start
from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from storage.models import Cohort, Member, OutboxMessage, RetroResponse
from storage.repository import TenantRepository, TenantsDirectory
from storage.scope import system_session
from tests.fakes import slack_rules as rules
from tests.slack.harness import CHANNEL, TEAM, SlackHarness, unescape, user_id
from tests.worst_case import seed_worst_case

FRIDAY_1901 = datetime(2026, 11, 20, 19, 1, tzinfo=UTC)  # the retro summary is due at 19:00
THURSDAY_1700 = datetime(2026, 11, 19, 17, 0, 30, tzinfo=UTC)  # the standup summary


async def outbox(slack: SlackHarness) -> dict[tuple[str, str], int]:
    async with system_session(slack.adapter.core.sessions) as session:
        rows = await session.execute(
            select(OutboxMessage.kind, OutboxMessage.status, func.count()).group_by(
                OutboxMessage.kind, OutboxMessage.status
            )
        )
        return {(kind, status): n for kind, status, n in rows.all()}


def worker(slack: SlackHarness, name: str = "w") -> DeliveryWorker:
    app = slack.adapter.core
    return DeliveryWorker(
        app.sessions, {"slack": slack.adapter}, app.clock, name, pacer=Pacer(enabled=False)
    )


async def seed_retros(slack: SlackHarness, members: int, day: date) -> None:
    """A cohort of ``members`` who each wrote a retro of about 530 characters."""
    joined = datetime.combine(day - timedelta(days=30), time(9), tzinfo=UTC)
    async with slack.adapter.core.sessions() as session:
        tenant = await TenantsDirectory(session).get_or_create("slack", TEAM, "Retro", joined)
        repo = TenantRepository(session, tenant.id)
        cohort = await repo.add(
            Cohort(name="Fall 2026", channel_id=CHANNEL, timezone="UTC", created_at=joined)
        )
        people = [
            Member(
                cohort_id=cohort.id,
                platform_user_id=user_id(f"m{i:02d}"),
                display_name=f"Member number {i:02d}",
                role="member",
                timezone="UTC",
                status="searching",
                leaderboard="shown",
                joined_at=joined,
            )
            for i in range(members)
        ]
        await repo.add_all(people)
        text = "sent two applications and practised system design questions every day " * 4
        await repo.add_all(
            [
                RetroResponse(
                    member_id=m.id,
                    week_start=week_start(day),
                    worked=text[:250],
                    didnt="too little outreach",
                    adjust=text[:250],
                    barriers="",
                    created_at=joined,
                    updated_at=joined,
                )
                for m in people
            ]
        )
        await session.commit()


async def test_a_25_member_retro_summary_reaches_the_channel(
    slack: SlackHarness, time_machine
) -> None:
    time_machine.move_to(FRIDAY_1901, tick=False)
    await seed_retros(slack, 25, FRIDAY_1901.date())
    now = slack.adapter.core.clock.now()
    await PromptPlanner(slack.adapter.core.sessions).plan_all(now - timedelta(hours=1), now)
    await worker(slack).drain()

    assert [r.error for r in slack.fake.refused] == []
    assert (await outbox(slack))[("retro_summary", "sent")] == 1
    posts = slack.fake.calls_to("chat.postMessage")
    [summary] = [p for p in posts if "Retro summary" in p.text()]
    assert "25 of 25 reflected" in unescape(summary.text())
    under = [p for p in posts if p.body.get("thread_ts")]
    cards = unescape("\n".join(p.text() for p in under))
    assert all(f"Member number {i:02d}" in cards for i in range(25))
    together = sum(rules.blocks_text_length(p.body["blocks"]) for p in [summary, *under])
    assert together > 13_000, "the whole summary is over Slack's ~12,000 a message"


async def test_followups_with_350_items_reach_slack(slack: SlackHarness, time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 19, 16, 0, tzinfo=UTC), tick=False)
    await seed_worst_case(
        slack.adapter.core.sessions,
        platform="slack",
        tenant=TEAM,
        channel_id=CHANNEL,
        user_id=lambda i: user_id(f"m{i:03d}"),
        coach_id=user_id("coach"),
    )
    expected = set(re.findall(r"\b[AC]\d+\b", await slack.core("followups", user="m000")))
    # every open application (a fifth of the 300 are rejected: closed, no follow-up) and contact
    assert len(expected) == 240 + 50
    slack.fake.clear()
    await slack.command("followups", user="m000")
    assert [r.error for r in slack.fake.refused] == []
    replies = slack.replies()
    assert len(replies) > 1
    shown = unescape("\n".join(c.text() for c in replies))
    assert set(re.findall(r"\b[AC]\d+\b", shown)) >= expected


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
async def test_a_channel_post_is_recovered_from_the_channels_history_not_sent_twice(
    cohort: SlackHarness, time_machine, private: bool
) -> None:
    if private:
        cohort.fake.private_channels.add(CHANNEL)
    time_machine.move_to(THURSDAY_1700 - timedelta(hours=8), tick=False)
    await cohort.command('standup yesterday="sent 2" today="mock interview" blockers=none')
    time_machine.move_to(THURSDAY_1700, tick=False)
    app = cohort.adapter.core
    now = app.clock.now()
    await PromptPlanner(app.sessions).plan_all(now - timedelta(hours=1), now)
    crashed = worker(cohort, "crashed")
    claims = await crashed.store.claim("crashed", now, timedelta(seconds=60), 10)
    prepared = await crashed._prepare_batch(claims)
    [summary] = [c for c in claims if c.row.kind == "summary"]
    ready = prepared[summary.row.id]
    assert ready.target is not None and ready.target.channel_id == CHANNEL
    # The process posts the summary in the channel, then dies before recording it.
    await cohort.adapter.send(ready.target, ready.reply, summary.row.key)

    time_machine.move_to(THURSDAY_1700 + timedelta(minutes=2), tick=False)
    await worker(cohort, "survivor").drain()

    posts = [c for c in cohort.fake.calls_to("chat.postMessage") if "Standup summary" in c.text()]
    assert len(posts) == 1, "the summary was posted once"
    assert cohort.fake.calls_to("conversations.history")
    assert [r.error for r in cohort.fake.refused] == []
    assert (await outbox(cohort)).get(("summary", "sent")) == 1
    async with system_session(app.sessions) as session:
        error = await session.scalar(
            select(OutboxMessage.last_error).where(OutboxMessage.kind == "summary")
        )
    assert error == "recovered"
