"""The worst-case cohort (tests/worst_case.py) on Slack, end to end: every command a member or a
coach can run and every scheduled prompt goes through the real SDK into the strict FakeSlackAPI,
and Slack accepts every call (no invalid_blocks, msg_blocks_too_long, missing_scope...), with
nothing recorded as failed in the outbox."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.commands import REGISTRY
from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from storage.models import OutboxMessage
from storage.scope import system_session
from tests.slack.harness import CHANNEL, TEAM, SlackHarness, unescape, user_id
from tests.worst_case import MEMBERS, PROMPT_TICKS, seed_worst_case

HEAVY = "m000"  # the member with 300 applications at every maximum (Slack id UM000)
PEER = "m001"
NAMES = {"alice": HEAVY, "bob": PEER}

HEAVY_READS = [
    "apps",
    "app show A1",
    "app show A300",
    "contacts",
    "contact show C50",
    "followups",
    "history",
    "dashboard",
    "leaderboard",
    "cohort members",
    "stats",
    "streak",
    "review",
    "export tracker",
    "privacy export",
]
COACH_READS = [
    "cohort report",
    "cohort members",
    "cohort schedule",
    "cohort settings",
    "leaderboard",
    "review member=@m000",
    "chart cohort",
]
DESTRUCTIVE = ("/privacy forget confirm=yes", "/cohort leave")


def member_line(text: str) -> str:
    """A registry example as the worst case's members type it (alice is the heavy member)."""
    line = text.removeprefix("/")
    return re.sub(r"@(alice|bob)\b", lambda m: "@" + NAMES[m[1]], line)


def examples(role: str) -> list[str]:
    found = []
    for command in REGISTRY:
        for example in command.examples:
            if (example.as_user == "coach") == (role == "coach") and not example.text.startswith(
                DESTRUCTIVE
            ):
                found.append(member_line(example.text))
    return found


@pytest.fixture
async def worst(slack: SlackHarness, time_machine) -> SlackHarness:
    time_machine.move_to(datetime(2026, 11, 19, 16, 0, tzinfo=UTC), tick=False)
    await seed_worst_case(
        slack.adapter.core.sessions,
        platform="slack",
        tenant=TEAM,
        channel_id=CHANNEL,
        user_id=lambda i: user_id(f"m{i:03d}"),
        coach_id=user_id("coach"),
    )
    return slack


def refusals(slack: SlackHarness) -> list[str]:
    return [
        f"{r.call.method}: {r.error} {r.answer if isinstance(r.answer, dict) else ''}"[:600]
        for r in slack.fake.refused
    ]


async def run_all(slack: SlackHarness, lines: list[str], user: str) -> None:
    """Type every line as ``user``; fail naming every line Slack refused a call of."""
    refused: dict[str, list[str]] = {}
    for line in lines:
        slack.fake.clear()
        await slack.command(line, user=user)
        assert slack.adapter.errors == [], (line, slack.adapter.errors)
        assert slack.replies(), f"{line}: nothing reached Slack"
        if slack.fake.refused:
            refused[line] = refusals(slack)
    assert not refused, refused


async def test_the_heavy_member_reads_everything(worst: SlackHarness) -> None:
    await run_all(worst, HEAVY_READS, HEAVY)
    worst.fake.clear()
    await worst.command("apps", user=HEAVY)
    shown = unescape("\n".join(c.text() for c in worst.replies()))
    expected = set(re.findall(r"\bA\d+\b", await worst.core("apps", user=HEAVY)))
    assert len(expected) >= 100
    assert set(re.findall(r"\bA\d+\b", shown)) == expected  # every row, over several messages
    assert len(worst.replies()) > 1


async def test_every_example_as_the_heavy_member(worst: SlackHarness) -> None:
    await run_all(worst, examples("member"), HEAVY)


async def test_the_coach_reads_the_whole_cohort(worst: SlackHarness) -> None:
    await run_all(worst, [*COACH_READS, *examples("coach")], "coach")


async def test_a_newcomer_joins_leaves_and_forgets(worst: SlackHarness) -> None:
    await run_all(
        worst,
        ['cohort join "Fall 2026"', "leaderboard", "cohort leave", "privacy forget confirm=yes"],
        "dana",
    )


async def test_app_home_of_the_heavy_member(worst: SlackHarness) -> None:
    await worst.event("app_home_opened", {"user": user_id(HEAVY)})
    [published] = worst.fake.calls_to("views.publish")
    assert len(published.body["view"]["blocks"]) <= 100
    assert refusals(worst) == []
    await worst.command("apply Stripe Dev", user=HEAVY)  # refreshes the Home tab
    assert len(worst.fake.calls_to("views.publish")) == 2
    assert refusals(worst) == []


async def test_every_scheduled_prompt_reaches_slack(worst: SlackHarness, time_machine) -> None:
    app = worst.adapter.core
    worker = DeliveryWorker(
        app.sessions, {"slack": worst.adapter}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    ticks = PROMPT_TICKS
    since = ticks[0] - timedelta(hours=1)
    for tick in ticks:
        time_machine.move_to(tick, tick=False)
        await PromptPlanner(app.sessions).plan_all(since, tick)
        await worker.drain()
        since = tick
    assert refusals(worst) == []
    assert worst.adapter.errors == []
    async with system_session(app.sessions) as session:
        statuses = dict(
            (
                await session.execute(
                    select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
                )
            ).all()
        )
        kinds = set((await session.scalars(select(OutboxMessage.kind).distinct())).all())
    assert statuses.get("failed", 0) == 0 and statuses.get("unreachable", 0) == 0, statuses
    assert {"standup", "summary", "retro", "retro_summary", "leaderboard", "digest"} <= kinds

    key = "summary:c1:2026-11-19"
    [summary] = [m for m in worst.fake.history[CHANNEL] if delivery_key(m) == key]
    assert f"100 of {MEMBERS} checked in" in unescape(summary["text"])
    replies = worst.fake.calls_to("chat.postMessage")
    under = [c for c in replies if c.body.get("thread_ts") == summary["ts"]]
    assert len(under) > 1, "the 100 answers went under the summary, in several replies"
    answers = unescape("\n".join(c.text() for c in under))
    assert answers.count("Ada & <Lovelace>") >= 100  # every member's answers, none cut


def delivery_key(message: dict) -> str:
    return str(((message.get("metadata") or {}).get("event_payload") or {}).get("key"))
