"""Interactions on Discord's clock: the three seconds count from the interaction's snowflake, not
from when the bot picked it up, and an interaction delivered twice runs once."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import discord as discord_py

from adapters.discord.adapter import DEFER_AFTER
from adapters.discord.ids import RecentIds
from adapters.discord.respond import deadline_for
from tests.discord.harness import GUILD, USERS, Harness, slash_options
from tests.fakes.discord_server import APPLICATION_COMMAND, FakeDiscord, FakeInteraction

MESSAGE, DEFERRED = 4, 5


def command(fake: FakeDiscord, line: str, *, created: float | None = None) -> FakeInteraction:
    """The slash interaction for ``line`` as alice, created at ``created`` (Unix time)."""
    name, options = slash_options(line)
    data = {"id": fake.snowflake(), "name": name, "type": 1, "options": options}
    return fake.interaction(
        APPLICATION_COMMAND, USERS["alice"], data, guild_id=GUILD, created=created
    )


async def test_an_interaction_picked_up_late_is_deferred_at_once(discord: Harness) -> None:
    fake = discord.fake
    late = command(fake, "/help", created=time.time() - 2.5)  # time is frozen: exactly 2.5 s
    answer = await discord.finish(await fake.send_interaction(late))
    assert answer.kind == DEFERRED and answer.ephemeral, "deferred before any work"
    [edit] = answer.followups
    assert edit.method == "PATCH" and edit.status == 200
    assert "/apply" in answer.text(), "then answered by editing the deferral"
    fresh = await discord.finish(await fake.send_interaction(command(fake, "/help")))
    assert fresh.kind == MESSAGE, "the same command, fresh, is answered directly"


async def test_an_interaction_discord_no_longer_takes_is_not_run(cohort: Harness) -> None:
    fake = cohort.fake
    fake.interaction_window = 3.0
    expired = command(fake, '/apply Stripe "Backend Engineer"', created=time.time() - 3.5)
    callback = await fake.response(await fake.send_interaction(expired))
    await cohort.adapter.idle(5)
    assert (callback.status, callback.response["code"]) == (404, 10062)
    apps = await cohort.say("alice", "/apps")
    assert "Your applications (0)" in apps.text(), "nothing logged behind the member's back"


async def test_an_interaction_delivered_twice_runs_once(cohort: Harness) -> None:
    fake = cohort.fake
    interaction = command(fake, '/apply Stripe "Backend Engineer"')
    await fake.send_interaction(interaction)
    await fake.send_interaction(interaction)  # the same event again, as a gateway replay sends it
    answer = await cohort.finish(interaction)
    assert answer.kind == MESSAGE and "Logged application A1" in answer.text()
    apps = await cohort.say("alice", "/apps")  # after the repeat in the gateway's order
    assert "Your applications (1)" in apps.text(), apps.text()
    path = f"/interactions/{interaction.id}/{interaction.token}/callback"
    assert [r.status for r in fake.requests if r.path.endswith(path)] == [200]
    assert cohort.adapter.repeats == 1


async def test_the_deadline_is_counted_from_the_snowflake() -> None:
    loop = asyncio.get_running_loop()
    now = datetime(2026, 11, 19, 9, 0, tzinfo=UTC)
    fresh = discord_py.utils.time_snowflake(now)
    late = discord_py.utils.time_snowflake(now - timedelta(seconds=2.5))
    ahead = discord_py.utils.time_snowflake(now + timedelta(seconds=5))  # a clock behind Discord's
    before = loop.time()
    assert before + DEFER_AFTER - 0.01 <= deadline_for(fresh, DEFER_AFTER, now=now)
    assert deadline_for(fresh, DEFER_AFTER, now=now) <= loop.time() + DEFER_AFTER
    assert deadline_for(late, DEFER_AFTER, now=now) <= loop.time() + DEFER_AFTER - 2.49
    assert deadline_for(late, DEFER_AFTER, now=now) < loop.time(), "already past: defer at once"
    assert deadline_for(ahead, DEFER_AFTER, now=now) <= loop.time() + DEFER_AFTER
    assert DEFER_AFTER < 3.0, "Discord's window is three seconds"


def test_recent_ids_remember_within_their_lifetime_and_size() -> None:
    clock = [0.0]
    seen = RecentIds(size=3, ttl=10.0, clock=lambda: clock[0])
    assert seen.first(1) and not seen.first(1)
    clock[0] = 9.9
    assert not seen.first(1), "still within its lifetime"
    clock[0] = 10.0
    assert seen.first(1), "forgotten after its lifetime"
    for item in (2, 3, 4):
        assert seen.first(item)
    assert len(seen) == 3, "bounded: the oldest is forgotten first"
    assert seen.first(1) and not seen.first(4)
