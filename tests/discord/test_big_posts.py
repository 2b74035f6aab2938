"""Big channel posts through the real adapter into the strict fake: every mention the core asks
for is delivered within Discord's limits, and the detail goes in a thread under the post.

Regressions: a standup summary naming more than about 90 missing members used to put every
mention in one message's content (over 2,000 characters, over 100 ``allowed_mentions.users``)
and Discord refused it, losing the summary; a summary of 100 answers became one channel post per
answer card.
"""

from __future__ import annotations

import re

import pytest

from adapters.discord.adapter import DiscordAdapter
from bot.app import App
from bot.delivery import Delivered, Target
from bot.invocation import Invocation
from bot.platform import Platform
from bot.replies import Fields, Mention, Reply, Table, Text, Visibility, t
from bot.settings import Settings
from tests.discord.conftest import CLIENT_OPTIONS, discord_settings
from tests.discord.harness import GUILD, Harness, texts_of
from tests.fakes.discord_server import API, FakeDiscord, Recorded
from tests.worst_case import hostile_name, long_text

MENTION = re.compile(r"<@!?(\d+)>")


def member_id(i: int) -> str:
    return str(310_000_000_000_000_000 + i)  # 18 digits, like Discord's user ids


def summary(missing: int, answers: int) -> Reply:
    """A standup summary as the core writes it: who is missing (pinged) and each answer."""
    names: list[Mention | str] = []
    for i in range(missing):
        names += [", "] if i else []
        names.append(Mention(member_id(i), hostile_name(i), notify=True))
    cards = [
        Fields(
            hostile_name(i),
            (
                ("Yesterday", long_text(500, "yesterday")),
                ("Today", long_text(500, "today")),
                ("Blockers", long_text(500, "blocked")),
            ),
        )
        for i in range(answers)
    ]
    head = t("☀️ *Standup summary, Thu Nov 19*: {n} checked in.", n=str(answers))
    blocks = [head, Text("Still to check in today: ", *names, ".")] if missing else [head]
    return Reply.of(*blocks, visibility=Visibility.CHANNEL).in_thread(*cards)


def channel_posts(discord: Harness) -> list[Recorded]:
    channel = discord.fake.channel_id(GUILD)
    return discord.fake.sent("POST", rf"{API}/channels/{channel}/messages")


def assert_mentions_within_limits(posts: list[Recorded]) -> list[str]:
    """Each message pings at most 100 users in at most 2,000 characters, and allows exactly the
    users its content mentions; the users pinged, in order."""
    pinged: list[str] = []
    for post in posts:
        body = post.json
        content = body.get("content") or ""
        assert len(content) <= 2000
        mentioned = MENTION.findall(content)
        allowed = body["allowed_mentions"]
        assert allowed["parse"] == [] and "roles" not in allowed
        assert [str(u) for u in allowed.get("users", [])] == mentioned
        assert len(mentioned) <= 100
        pinged += mentioned
    return pinged


async def test_a_summary_pinging_150_missing_members_reaches_every_one_of_them(
    discord: Harness,
) -> None:
    channel = discord.fake.channel_id(GUILD)
    outcome = await discord.adapter.send(
        Target(GUILD, channel_id=channel), summary(missing=150, answers=0), "summary:big"
    )
    assert isinstance(outcome, Delivered), outcome
    posts = channel_posts(discord)
    assert not discord.fake.refusals()
    assert all(p.status == 200 for p in posts)
    assert assert_mentions_within_limits(posts) == [member_id(i) for i in range(150)]
    assert len(posts) == 2, "150 mentions need two messages, no more"
    assert posts[0].json["nonce"] and posts[0].json["enforce_nonce"], "the first carries the key"
    assert any("Standup summary" in text for text in texts_of(posts[0].json))


async def test_a_very_large_summary_is_one_channel_post_not_one_per_answer(
    discord: Harness,
) -> None:
    channel = discord.fake.channel_id(GUILD)
    outcome = await discord.adapter.send(
        Target(GUILD, channel_id=channel), summary(missing=0, answers=100), "summary:answers"
    )
    assert isinstance(outcome, Delivered), outcome
    posts = channel_posts(discord)
    assert len(posts) == 1, f"{len(posts)} channel posts: the answers flooded the channel"
    assert_answers_in_thread(discord, outcome.ref, answers=100)


async def test_a_huge_summary_pings_everyone_and_keeps_its_answers_in_the_thread(
    discord: Harness,
) -> None:
    fake = discord.fake
    channel = fake.channel_id(GUILD)
    outcome = await discord.adapter.send(
        Target(GUILD, channel_id=channel), summary(missing=100, answers=100), "summary:huge"
    )
    assert isinstance(outcome, Delivered), outcome
    assert not fake.refusals()
    posts = channel_posts(discord)
    assert assert_mentions_within_limits(posts) == [member_id(i) for i in range(100)]
    assert len(posts) == 2, "the post and the rest of its mentions, nothing else"
    assert_answers_in_thread(discord, outcome.ref, answers=100)


def assert_answers_in_thread(discord: Harness, parent: str, *, answers: int) -> None:
    fake = discord.fake
    [thread] = fake.threads.values()
    assert thread["id"] == parent and thread["parent_id"] == fake.channel_id(GUILD)
    assert 1 <= len(thread["name"]) <= 100 and "Standup summary" in thread["name"]
    in_thread = fake.in_thread(thread["id"])
    shown = "\n".join(text for post in in_thread for text in texts_of(post.json))
    for i in range(answers):
        assert hostile_name(i)[:40] in shown, f"answer {i} is missing from the thread"
    for post in in_thread:
        assert post.json["allowed_mentions"] == {"parse": []}, "the thread pings nobody"
        assert not post.json.get("content")
    assert len(in_thread) < answers, "answers are packed, not one message each"


async def test_a_thread_is_named_from_the_post_within_100_characters(discord: Harness) -> None:
    fake = discord.fake
    channel = fake.channel_id(GUILD)
    title = "🏆 " + hostile_name(7) * 2
    reply = Reply.of(
        Table(title, ("member", "score"), (("a", "1"),)), visibility=Visibility.CHANNEL
    ).in_thread(Table("The whole ranking", ("member", "score"), (("a", "1"), ("b", "0"))))
    outcome = await discord.adapter.send(Target(GUILD, channel_id=channel), reply, "lb")
    assert isinstance(outcome, Delivered)
    [thread] = fake.threads.values()
    assert len(thread["name"]) <= 100 and thread["name"].startswith("🏆 007 Ada")
    [post] = fake.in_thread(thread["id"])
    assert any("The whole ranking" in text for text in texts_of(post.json))


async def test_a_dm_has_no_thread_so_its_detail_follows_the_message(discord: Harness) -> None:
    fake = discord.fake
    reply = Reply.of("Your week").in_thread("The detail")
    outcome = await discord.adapter.send(Target(GUILD, user_id="200000000000000001"), reply, "k")
    assert isinstance(outcome, Delivered)
    assert not fake.threads
    [post] = fake.sent("POST", rf"{API}/channels/\d+/messages")
    assert [t for t in texts_of(post.json)] == ["Your week\n\nThe detail"]


@pytest.mark.parametrize(
    "threads", [0, 1], ids=["no Create Public Threads", "no Send Messages in Threads"]
)
async def test_without_thread_permissions_the_detail_follows_the_post(
    discord: Harness, threads: int
) -> None:
    fake = discord.fake
    channel = fake.channel_id(GUILD)
    fake.forbid(r"/messages/\d+/threads$" if threads == 0 else fake.in_a_thread)
    outcome = await discord.adapter.send(
        Target(GUILD, channel_id=channel), summary(missing=0, answers=30), "summary:no-threads"
    )
    assert isinstance(outcome, Delivered), "the post went out; only the thread did not"
    assert len(fake.threads) == threads
    posts = [p for p in channel_posts(discord) if p.status == 200]
    shown = "\n".join(text for post in posts for text in texts_of(post.json))
    assert "Standup summary" in texts_of(posts[0].json)[0]
    assert all(hostile_name(i)[:40] in shown for i in range(30)), "no answer is lost"
    assert len(posts) < 30, "still packed, not one post per answer"


async def test_a_repeated_post_does_not_repeat_its_thread(discord: Harness) -> None:
    fake = discord.fake
    fake.expect_refusals = True  # Discord's 160004 answers the second thread, as it should
    channel = fake.channel_id(GUILD)
    target, reply = Target(GUILD, channel_id=channel), summary(missing=0, answers=12)
    first = await discord.adapter.send(target, reply, "summary:repeat")
    [thread_id] = fake.threads
    posted = len(fake.in_thread(thread_id))
    again = await discord.adapter.send(target, reply, "summary:repeat")
    assert isinstance(first, Delivered) and isinstance(again, Delivered)
    assert again.ref == first.ref and fake.nonce_repeats == 1, "Discord dropped the repeat"
    assert len(fake.in_thread(thread_id)) == posted, "the thread's answers are not posted twice"
    assert [r.response["code"] for r in fake.refusals()] == [160004]


class ThreadedCore:
    """The real core, except that every command answers with a post and a thread under it."""

    def __init__(self, app: App) -> None:
        self.app, self.registry = app, app.registry

    def attach(self, platform: Platform) -> None:
        self.app.attach(platform)

    async def handle(self, invocation: Invocation) -> Reply:
        return summary(missing=0, answers=3)

    async def suggest(self, *args: object) -> list[tuple[str, str]]:
        return []


async def test_a_command_reply_shows_its_thread_inline(
    app: App, settings: Settings, fake: FakeDiscord
) -> None:
    adapter = DiscordAdapter(
        ThreadedCore(app), discord_settings(settings, fake), client_options=CLIENT_OPTIONS
    )
    await adapter.start()
    try:
        answer = await Harness(fake, adapter, app).say("alice", "/help")
    finally:
        await adapter.stop()
    assert not fake.threads, "an answer to a command starts no thread"
    text = answer.text()
    assert "Standup summary" in text and all(hostile_name(i)[:40] in text for i in range(3))
