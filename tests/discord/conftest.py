"""Fixtures: a fake Discord on a free port and the real adapter connected to it, per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from adapters.discord.adapter import DiscordAdapter
from adapters.discord.settings import DiscordSettings
from bot.app import App
from bot.settings import Settings
from tests.discord.harness import GUILD, OTHER_GUILD, USERS, Harness
from tests.fakes.discord_server import FakeDiscord

# Fast start-up against the fake: it sends every GUILD_CREATE right after READY.
CLIENT_OPTIONS = {"guild_ready_timeout": 0.01}


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    for name, user_id in USERS.items():
        server.add_user(user_id, name)
    server.add_guild(
        GUILD, "Bootcamp", [u for n, u in USERS.items() if n != "zed"], admins=[USERS["coach"]]
    )
    server.add_guild(OTHER_GUILD, "Other Server", [USERS["erin"]], admins=[USERS["erin"]])
    try:
        yield server
    finally:
        await server.close()
    refused = [] if server.expect_refusals else server.refusals()
    assert not refused, "Discord would refuse: " + "; ".join(
        f"{r.method} {r.path} -> {r.response}"[:2000] for r in refused
    )


def discord_settings(settings: Settings, fake: FakeDiscord, **extra: object) -> DiscordSettings:
    """Discord's settings pointing at the fake (the core's ``settings`` stay as they are)."""
    return DiscordSettings(
        _env_file=None,
        token=SecretStr("fake-token"),
        api_url=fake.api_url,
        gateway_url=fake.gateway_url,
        **extra,
    )


@pytest.fixture
async def discord(app: App, settings: Settings, fake: FakeDiscord) -> AsyncIterator[Harness]:
    """The adapter serving the real core, connected to the fake."""
    adapter = DiscordAdapter(app, discord_settings(settings, fake), client_options=CLIENT_OPTIONS)
    await adapter.start()
    try:
        yield Harness(fake, adapter, app)
    finally:
        await adapter.stop()


@pytest.fixture
async def cohort(discord: Harness) -> Harness:
    """A cohort "Fall 2026" in UTC with coach "coach" and members alice and bob."""
    answer = await discord.say("coach", '/cohort create "Fall 2026" timezone=UTC')
    assert "Created cohort Fall 2026" in answer.text(), answer.text()
    for name in ("alice", "bob"):
        assert "You're in Fall 2026" in (await discord.say(name, '/cohort join "Fall 2026"')).text()
    return discord
