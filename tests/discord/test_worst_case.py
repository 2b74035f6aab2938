"""The worst-case cohort (tests/worst_case.py) on Discord: every command a member or a coach can
run, and every scheduled prompt, through the real discord.py client into the strict fake.

200 members with hostile 80-character names, one of them with 300 applications at every maximum
and 50 contacts, 100 long standups and 60 long retros, mention-missing on. Nothing may be refused
(the fake answers 400 where Discord would, and the fixture fails any test that caused one), and
nothing may be recorded as failed in the outbox.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.commands import REGISTRY
from bot.registry import Role
from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from storage.models import OutboxMessage
from storage.scope import system_session
from tests.discord.harness import GUILD, USERS, Answer, Harness, texts_of
from tests.fakes.discord_server import API, Recorded
from tests.worst_case import (
    MEMBERS,
    PROMPT_TICKS,
    RETROS,
    STANDUPS,
    WorstCase,
    hostile_name,
    seed_worst_case,
)

MENTION = re.compile(r"<@!?(\d+)>")


def member_id(i: int) -> str:
    """Member ``i``'s Discord id: 19 digits, the longest Discord hands out today."""
    return str(1_150_000_000_000_000_000 + i)


HEAVY, SECOND, COACH = member_id(0), member_id(1), USERS["coach"]


def as_worst_case(line: str) -> str:
    """An example's line aimed at the worst-case cohort's people."""
    return line.replace("@alice", f"<@{HEAVY}>").replace("@bob", f"<@{SECOND}>")


EXAMPLES = [
    pytest.param(
        COACH if command.role is Role.COACH or example.as_user == "coach" else HEAVY,
        as_worst_case(example.text),
        id=f"{command.name}: {example.text}",
    )
    for command in REGISTRY
    for example in command.examples
]
HEAVY_READS = [
    "/apps",
    "/apps stage=interview",
    "/app show A1",
    "/app show A300",
    "/contacts",
    "/contact show C50",
    "/followups",
    "/history",
    "/history from=2026-10-01",
    "/dashboard",
    "/leaderboard",
    "/cohort members",
    "/stats",
    "/streak",
    "/review",
    "/export tracker",
    "/privacy export",
    "/plan show",
    "/calendar file",
    "/chart week",
    "/chart funnel",
]
COACH_READS = [
    "/cohort report",
    "/cohort members",
    "/cohort schedule",
    "/cohort settings",
    "/leaderboard",
    "/dashboard",
    "/chart cohort",
    f"/review member=<@{HEAVY}>",
    f"/history member=<@{HEAVY}>",
]
COMMANDS = [
    *EXAMPLES,
    *(pytest.param(HEAVY, line, id=f"heavy {line}") for line in HEAVY_READS),
    *(pytest.param(COACH, line, id=f"coach {line}") for line in COACH_READS),
]


@pytest.fixture
async def worst(discord: Harness, time_machine) -> tuple[Harness, WorstCase]:
    """The worst case seeded for the test guild, every member a user of the fake's server."""
    time_machine.move_to(datetime(2026, 11, 19, 16, 0, tzinfo=UTC), tick=False)
    fake = discord.fake
    for i in range(MEMBERS):
        fake.add_user(member_id(i), hostile_name(i)[:32])
        fake.members[GUILD].add(member_id(i))
    assert discord.app is not None
    seeded = await seed_worst_case(
        discord.app.sessions,
        platform="discord",
        tenant=GUILD,
        channel_id=fake.channel_id(GUILD),
        user_id=member_id,
        coach_id=COACH,
    )
    return discord, seeded


def accepted(answer: Answer) -> None:
    """The callback and every follow-up or edit went through, and something was said."""
    assert answer.callback.status == 200, answer.callback.response
    for record in answer.followups:
        assert record.status == 200, (record.path, record.response)
    assert answer.kind in (4, 5, 9), answer.callback.json
    assert answer.text().strip() or answer.kind == 9


@pytest.mark.parametrize(("user", "line"), COMMANDS)
async def test_every_command_of_the_worst_case_is_accepted(
    worst: tuple[Harness, WorstCase], user: str, line: str
) -> None:
    discord, _ = worst
    answer = await discord.say(user, line)
    accepted(answer)
    assert not discord.fake.refusals()


@pytest.mark.parametrize("line", ["/apps", "/history", "/app show A300", "/contacts"])
async def test_the_heaviest_reads_typed_in_a_dm_are_accepted(
    worst: tuple[Harness, WorstCase], line: str
) -> None:
    discord, _ = worst
    answers = await discord.dm(HEAVY, line)
    assert answers and all(r.status == 200 for r in answers)
    assert not discord.fake.refusals()


def channel_posts(discord: Harness) -> list[Recorded]:
    channel = discord.fake.channel_id(GUILD)
    return [
        r
        for r in discord.fake.sent("POST", rf"{API}/channels/{channel}/messages")
        if r.status == 200
    ]


async def test_every_scheduled_prompt_of_the_worst_case_is_delivered(
    worst: tuple[Harness, WorstCase], time_machine
) -> None:
    discord, seeded = worst
    app, fake = discord.app, discord.fake
    assert app is not None
    worker = DeliveryWorker(
        app.sessions, {"discord": discord.adapter}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    ticks = PROMPT_TICKS
    since = ticks[0] - timedelta(hours=1)
    posts_by_kind: dict[tuple[str, datetime], list[Recorded]] = {}
    threads_by_kind: dict[str, set[str]] = {}
    for tick in ticks:
        time_machine.move_to(tick, tick=False)
        await PromptPlanner(app.sessions).plan_all(since, tick)
        before_posts, before_threads = len(channel_posts(discord)), set(fake.threads)
        await worker.drain()
        for post in channel_posts(discord)[before_posts:]:
            posts_by_kind.setdefault((_kind(post), tick), []).append(post)
        for thread_id in set(fake.threads) - before_threads:
            threads_by_kind.setdefault(_kind(fake.messages[thread_id]), set()).add(thread_id)
        since = tick

    assert not fake.refusals()
    async with system_session(app.sessions) as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    statuses = {row.status for row in rows}
    assert "failed" not in statuses and "pending" not in statuses, statuses
    assert worker.outcomes["failed"] == 0, worker.outcomes
    kinds = {row.kind for row in rows if row.status == "sent"}
    assert {"standup", "summary", "retro", "retro_summary", "leaderboard", "digest"} <= kinds

    # Thursday's summary: one post (and the rest of its mentions) in the channel, every missing
    # member pinged within the limits, each answer in the thread under it. On Friday nobody has
    # checked in yet: all 200 are pinged, over three messages.
    summary = posts_by_kind[("summary", ticks[2])]
    assert _pinged(summary) == [member_id(i) for i in range(STANDUPS, MEMBERS)]
    assert len(summary) == 2
    assert f"{STANDUPS} of {MEMBERS} checked in" in "\n".join(texts_of(summary[0].json))
    friday = posts_by_kind[("summary", ticks[4])]
    assert _pinged(friday) == [member_id(i) for i in range(MEMBERS)] and len(friday) == 3
    [summary_thread] = threads_by_kind["summary"]
    assert _names_in(fake.in_thread(summary_thread)) >= {hostile_name(i)[:40] for i in range(100)}

    [retro_thread] = threads_by_kind["retro_summary"]
    assert _names_in(fake.in_thread(retro_thread)) >= {hostile_name(i)[:40] for i in range(RETROS)}
    assert len(posts_by_kind[("retro_summary", ticks[4])]) == 1
    [ranking] = threads_by_kind["leaderboard"]
    assert fake.in_thread(ranking), "the whole ranking is in the leaderboard's thread"
    for thread in fake.threads.values():
        assert 1 <= len(thread["name"]) <= 100
    assert seeded.heavy == HEAVY


def _kind(message: Recorded | dict) -> str:
    """Which prompt a channel post is, from its first words."""
    body = message.json if isinstance(message, Recorded) else message
    text = "\n".join(texts_of(body))
    for words, kind in (
        ("Standup summary", "summary"),
        ("Retro summary", "retro_summary"),
        ("leaderboard", "leaderboard"),
    ):
        if words in text:
            return kind
    return "summary" if MENTION.search(body.get("content") or "") else "other"


def _pinged(posts: list[Recorded]) -> list[str]:
    """Users the posts notify, in order; each post allows exactly whom its content mentions, at
    most 100 in at most 2,000 characters."""
    pinged: list[str] = []
    for post in posts:
        content = post.json.get("content") or ""
        users = [str(u) for u in post.json["allowed_mentions"].get("users", [])]
        assert len(content) <= 2000 and len(users) <= 100
        assert users == MENTION.findall(content)
        pinged += users
    return pinged


def _names_in(posts: list[Recorded]) -> set[str]:
    shown = "\n".join(text for post in posts for text in texts_of(post.json))
    return {hostile_name(i)[:40] for i in range(MEMBERS) if hostile_name(i)[:40] in shown}
