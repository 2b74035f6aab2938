"""Set-up and running: `offerbound discord sync`, the runtime behind `offerbound run`, a cheap
CLI import, and which guild a DM belongs to when the bot is in many."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import discord
import pytest
from typer.testing import CliRunner

from adapters.base import PlatformSetupError
from adapters.discord.cli import cli, sync_commands
from adapters.discord.plugin import PLUGIN
from adapters.discord.settings import DiscordSettings
from adapters.discord.tenancy import MutualGuilds
from adapters.discord.tree import command_tree, render_json
from bot.commands import REGISTRY
from bot.settings import Settings
from offerbound.runtime import Chosen, build_runtime
from tests.discord.harness import GUILD, USERS
from tests.fakes.discord_server import FakeDiscord
from tests.scheduling.replicas import free_port

TREE_JSON = render_json(command_tree(REGISTRY))


def fake_settings(fake: FakeDiscord, **extra: object) -> DiscordSettings:
    return DiscordSettings(
        token="fake-token",
        api_url=fake.api_url,
        gateway_url=fake.gateway_url,
        _env_file=None,
        **extra,
    )


async def test_sync_uploads_the_tree_globally_or_to_one_guild(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    settings = fake_settings(fake)
    count = await sync_commands(settings, TREE_JSON, None)
    assert count == len(json.loads(TREE_JSON))
    [upload] = fake.sent("PUT", rf"/api/v10/applications/{fake.app_id}/commands")
    assert upload.body == json.loads(TREE_JSON)
    await sync_commands(settings, TREE_JSON, int(GUILD))
    [guild] = fake.sent("PUT", rf"/api/v10/applications/{fake.app_id}/guilds/{GUILD}/commands")
    assert guild.body == upload.body


async def test_the_sync_command_line(
    fake: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    env = {
        "DISCORD_TOKEN": "fake-token",
        "OFFERBOUND_DISCORD_API_URL": f"http://127.0.0.1:{fake.port}",
        "OFFERBOUND_DISCORD_GATEWAY_URL": fake.gateway_url,
    }
    runner = CliRunner()
    result = await asyncio.to_thread(runner.invoke, cli, ["sync", "--guild", GUILD], env=env)
    assert result.exit_code == 0, result.output
    assert f"for server {GUILD}" in result.output
    assert fake.sent("PUT", rf"/api/v10/applications/\d+/guilds/{GUILD}/commands")
    cleared = await asyncio.to_thread(
        runner.invoke, cli, ["sync", "--guild", GUILD, "--clear"], env=env
    )
    assert cleared.exit_code == 0 and "Removed the slash commands" in cleared.output
    assert fake.sent("PUT", rf"/api/v10/applications/\d+/guilds/{GUILD}/commands")[-1].body == []
    missing = await asyncio.to_thread(runner.invoke, cli, ["sync"], env={"DISCORD_TOKEN": ""})
    assert missing.exit_code == 2 and "DISCORD_TOKEN" in missing.output


def core_settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}", _env_file=None)


async def test_the_runtime_serves_discord_until_stopped(fake: FakeDiscord, tmp_path: Path) -> None:
    runtime = await build_runtime(
        core_settings(tmp_path), [Chosen(PLUGIN, fake_settings(fake))], port=0
    )
    task = asyncio.create_task(runtime.serve())
    for _ in range(200):
        if fake.identifies or task.done():
            break
        await asyncio.sleep(0.025)
    assert fake.identifies, task
    interaction = await fake.slash(USERS["alice"], "streak", guild_id=GUILD)
    callback = await fake.response(interaction)
    assert "Current streak" in json.dumps(callback.body)
    runtime.request_stop()
    await asyncio.wait_for(task, 30)
    assert runtime.stopping


async def test_the_runtime_without_a_token_says_what_is_missing(tmp_path: Path) -> None:
    empty = DiscordSettings(_env_file=None)
    with pytest.raises(PlatformSetupError, match="DISCORD_TOKEN is not set"):
        await build_runtime(core_settings(tmp_path), [Chosen(PLUGIN, empty)], port=0)


def test_importing_the_cli_does_not_load_discord_py() -> None:
    code = "import sys, adapters.discord.cli; print('discord' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


class StubGuild:
    """Just enough of discord.Guild for membership look-ups."""

    def __init__(self, guild_id: int, members: set[int]) -> None:
        self.id, self.name, self.members, self.fetches = guild_id, f"g{guild_id}", members, 0

    def get_member(self, user_id: int) -> None:
        return None

    async def fetch_member(self, user_id: int) -> object:
        self.fetches += 1
        if user_id not in self.members:
            raise discord.NotFound(_Response(), {"code": 10007, "message": "Unknown Member"})
        return object()


class _Response:
    status, reason = 404, "Not Found"


async def test_many_guilds_are_not_all_asked_about_one_user() -> None:
    guilds = [StubGuild(i, {7} if i == 3 else set()) for i in range(30)]
    mutual = MutualGuilds(lambda: guilds, fetch_limit=25)
    assert await mutual.of(7) == []  # too many guilds to ask each one
    assert sum(g.fetches for g in guilds) == 0
    mutual.remember(8, 3)
    assert [g.id for g in await mutual.of(8)] == [3]


async def test_few_guilds_are_asked_once_then_cached() -> None:
    guilds = [StubGuild(1, {7}), StubGuild(2, set())]
    mutual = MutualGuilds(lambda: guilds)
    assert [g.id for g in await mutual.of(7)] == [1]
    assert [g.id for g in await mutual.of(7)] == [1]
    assert [g.fetches for g in guilds] == [1, 1]


async def test_offerbound_run_serves_discord_and_stops_cleanly_on_sigterm(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "OFFERBOUND_"))
    }
    env.update(
        DISCORD_TOKEN="fake-token",
        OFFERBOUND_DISCORD_API_URL=fake.api_url,
        OFFERBOUND_DISCORD_GATEWAY_URL=fake.gateway_url,
        OFFERBOUND_DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "offerbound",
        "run",
        "--platform",
        "discord",
        "--port",
        str(free_port()),  # never the default 3000, which something else may hold
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        for _ in range(2400):  # a minute: a loaded machine starts Python and discord.py slowly
            if fake.identifies or process.returncode is not None:
                break
            await asyncio.sleep(0.025)
        assert fake.identifies, await process.stderr.read()  # type: ignore[union-attr]
        interaction = await fake.slash(USERS["alice"], "streak", guild_id=GUILD)
        assert "Current streak" in json.dumps((await fake.response(interaction)).body)
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    # Known gap (see the closing note of stop 18): a scheduler job caught mid-query by the
    # shutdown is logged with a CancelledError traceback on a loaded machine. Any other
    # traceback still fails this test.
    text = err.decode(errors="replace")
    others = [
        block
        for block in text.split("Traceback (most recent call last):")[1:]
        if "\nasyncio.exceptions.CancelledError" not in block
    ]
    assert not others, text


async def test_a_member_removed_from_the_server_loses_access_by_dm() -> None:
    """Being seen in a server vouches for membership only for a while; then it is re-checked."""
    now = [0.0]
    guilds = [StubGuild(i, {7} if i == 3 else set()) for i in range(30)]
    mutual = MutualGuilds(lambda: guilds, fetch_limit=25, ttl=600, clock=lambda: now[0])
    mutual.remember(8, 3)  # ran a command in guild 3, then was removed from it
    assert [g.id for g in await mutual.of(8)] == [3]  # still vouched for, for now
    now[0] = 601.0
    assert await mutual.of(8) == []
    assert guilds[3].fetches == 1, "only the guild the user was seen in was asked"
    mutual.remember(7, 3)
    now[0] = 1300.0
    assert [g.id for g in await mutual.of(7)] == [3]  # still a member: re-checked and kept
