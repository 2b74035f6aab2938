"""Interaction round trip on Discord: the real discord.py and adapter against the local fake.

Measured from the moment the fake gateway sends INTERACTION_CREATE until the bot's interaction
callback reaches the fake's REST API: gateway parsing, the adapter, the core's transaction and
the HTTP callback, over a real socket on this machine (Discord's own network is not included).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

from adapters.discord.adapter import DiscordAdapter
from adapters.discord.settings import DiscordSettings
from bot.app import build_app
from bot.settings import Settings
from tests.discord.harness import slash_options
from tests.fakes.discord_server import FakeDiscord
from tests.perf.stats import markdown_table, summary_ms

GUILD = "400000000000000001"
MEMBERS = 20
COMMANDS = [
    '/apply Stripe "Backend Engineer" follow-up=fri',
    '/outreach "Jane Doe" company=Stripe how=coffee',
    "/practice 30m katas",
    "/stats",
    "/leaderboard",
    "/standup",  # answered with a modal
]
ROUNDS = 60  # per command: 360 interactions in all


def _user(i: int) -> str:
    return str(200_000_000_000_000_100 + i)


async def _measure(url: str) -> tuple[list[tuple[str, str, str, str]], list[float]]:
    fake = await FakeDiscord().start()
    for i in range(MEMBERS + 1):
        fake.add_user(_user(i), f"member{i}" if i else "coach")
    fake.add_guild(GUILD, "Bench", [_user(i) for i in range(MEMBERS + 1)], admins=[_user(0)])
    settings = Settings(database_url=url, default_timezone="UTC", _env_file=None)
    discord = DiscordSettings(
        _env_file=None,
        token=SecretStr("bench"),
        api_url=fake.api_url,
        gateway_url=fake.gateway_url,
    )
    app = await build_app(settings)
    app.dispatcher.throttle = None  # measure the bot, not its limit on one member's pace
    adapter = DiscordAdapter(app, discord, client_options={"guild_ready_timeout": 0.01})
    await adapter.start()

    async def round_trip(user: str, line: str) -> float:
        name, options = slash_options(line)
        start = time.perf_counter()
        interaction = await fake.slash(user, name, options, guild_id=GUILD)
        await fake.response(interaction)
        elapsed = time.perf_counter() - start
        await adapter.idle(5)
        return elapsed

    rows, everything = [], []
    try:
        await round_trip(_user(0), '/cohort create "Bench"')
        for i in range(1, MEMBERS + 1):
            await round_trip(_user(i), '/cohort join "Bench"')
        for line in COMMANDS:
            samples = [await round_trip(_user(1 + i % MEMBERS), line) for i in range(ROUNDS)]
            everything += samples
            rows.append((line.split()[0], *summary_ms(samples)))
        rows.append((f"**all {len(everything)}**", *summary_ms(everything)))
    finally:
        await adapter.stop()
        await app.close()
        await fake.close()
    return rows, everything


async def run() -> str:
    out = ["## Discord interaction round trip", ""]
    out.append(
        f"{ROUNDS} slash commands per command ({ROUNDS * len(COMMANDS)} in all), {MEMBERS} members "
        "in one cohort, one at a time, through discord.py against the local fake Discord: from "
        "INTERACTION_CREATE leaving the fake gateway to the interaction callback arriving at its "
        "REST API. Discord's own network latency is not included."
    )
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        pg = os.environ.get("OFFERBOUND_TEST_DATABASE_URL")
        if pg:
            backends.append(("PostgreSQL", pg))
        for label, url in backends:
            if label == "PostgreSQL":
                from tests.perf.pg import fresh_database

                async with fresh_database(url) as private:
                    rows, _ = await _measure(private)
            else:
                rows, _ = await _measure(url)
            out += [
                "",
                f"### {label}",
                "",
                markdown_table(("command", "p50 ms", "p99 ms", "mean ms"), rows),
            ]
    return "\n".join(out) + "\n"
