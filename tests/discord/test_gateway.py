"""The connection itself: resuming after a dropped socket, Discord's 429s, sharding, the delivery
port, and the base-URL overrides being put back."""

from __future__ import annotations

import time

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.adapter import DiscordAdapter
from adapters.discord.connection import api_base
from adapters.discord.delivery import nonce_for
from bot.app import App
from bot.delivery import Delivered, Target, Unreachable
from bot.replies import Reply
from bot.settings import Settings
from tests.discord.conftest import CLIENT_OPTIONS, discord_settings
from tests.discord.harness import GUILD, USERS, Harness
from tests.fakes.discord_server import FakeDiscord


async def test_a_dropped_connection_resumes_and_keeps_working(discord: Harness) -> None:
    fake = discord.fake
    [session] = fake.sessions.values()
    await fake.drop_connections()
    # Sent while the socket is down: the fake keeps it for the resumed session to replay.
    interaction = await fake.slash(USERS["alice"], "streak", guild_id=GUILD)
    answer = await discord.finish(interaction)
    assert "Current streak" in answer.text()
    assert len(fake.identifies) == 1
    assert [r["session_id"] for r in fake.resumes] == [session.session_id]
    after = await discord.say("alice", "/practice 20m")
    assert "20m" in after.text()


async def test_a_rate_limited_post_is_retried_after_retry_after(discord: Harness) -> None:
    fake = discord.fake
    channel = fake.channel_id(GUILD)
    fake.rate_limit_next("POST", rf"/channels/{channel}/messages", retry_after=0.2)
    started = time.monotonic()
    await discord.adapter.send(Target(GUILD, channel_id=channel), Reply.of("Leaderboard!"), "k")
    elapsed = time.monotonic() - started
    posts = fake.sent("POST", rf"/api/v10/channels/{channel}/messages")
    assert [p.status for p in posts] == [429, 200]
    assert elapsed >= 0.2


async def test_the_delivery_port_sends_once_with_an_enforced_nonce(discord: Harness) -> None:
    alice = USERS["alice"]
    outcome = await discord.adapter.send(Target(GUILD, user_id=alice), Reply.of("Hi!"), "k:1")
    assert isinstance(outcome, Delivered) and outcome.ref
    [post] = discord.fake.sent(
        "POST", rf"/api/v10/channels/{discord.fake.dm_channel(alice)}/messages"
    )
    assert post.json["nonce"] == nonce_for("k:1") and post.json["enforce_nonce"] is True
    assert len(nonce_for("x" * 500)) <= 25
    assert await discord.adapter.was_delivered(Target(GUILD, user_id=alice), "k:1") is None


async def test_closed_dms_make_the_member_unreachable(discord: Harness) -> None:
    bob = USERS["bob"]
    discord.fake.closed_dms.add(bob)
    outcome = await discord.adapter.send(Target(GUILD, user_id=bob), Reply.of("Hi!"), "k:2")
    assert isinstance(outcome, Unreachable) and "50007" in outcome.reason


async def test_an_autosharded_client_serves_commands(
    app: App, settings: Settings, fake: FakeDiscord
) -> None:
    sharded = discord_settings(settings, fake, shards=0)  # 0: Discord's recommendation
    adapter = DiscordAdapter(app, sharded, client_options=CLIENT_OPTIONS)
    await adapter.start()
    try:
        assert fake.sent("GET", "/api/v10/gateway/bot")
        assert [i["shard"] for i in fake.identifies] == [[0, 1]]
        answer = await Harness(fake, adapter, app).say("alice", "/streak")
        assert "Current streak" in answer.text()
    finally:
        await adapter.stop()


async def test_base_urls_are_overridden_while_running_then_restored(
    app: App, settings: Settings, fake: FakeDiscord
) -> None:
    before = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    adapter = DiscordAdapter(app, discord_settings(settings, fake), client_options=CLIENT_OPTIONS)
    await adapter.start()
    assert fake.api_url == Route.BASE
    assert yarl.URL(fake.gateway_url) == DiscordWebSocket.DEFAULT_GATEWAY
    await adapter.stop()
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


def test_the_api_url_may_omit_the_version() -> None:
    assert api_base("http://127.0.0.1:8080") == "http://127.0.0.1:8080/api/v10"
    assert api_base("https://proxy.example/api/v10/") == "https://proxy.example/api/v10"


async def test_the_bot_authenticates_its_rest_calls_with_the_token(discord: Harness) -> None:
    await discord.say("alice", "/streak")
    bot_calls = [r for r in discord.fake.requests if not r.path.startswith("/api/v10/interactions")]
    assert bot_calls
    assert {r.headers.get("Authorization") for r in bot_calls} == {"Bot fake-token"}
    [identify] = discord.fake.identifies
    assert identify["token"] == "fake-token"


async def test_the_bot_asks_for_no_privileged_intent(discord: Harness) -> None:
    [identify] = discord.fake.identifies
    guilds, dm_messages = 1 << 0, 1 << 12
    assert identify["intents"] == guilds | dm_messages
