"""Slack acknowledgement latency: signed slash commands over HTTP, answered through the fake Slack.

Slack wants every request acknowledged within 3 seconds; Offerbound acks at once and runs the
command afterwards, answering on the response_url. This measures both on this machine.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from pydantic import SecretStr

from adapters.slack.adapter import SlackAdapter
from adapters.slack.config import SlackConfig
from bot.app import build_app
from bot.commands import REGISTRY
from bot.settings import Settings
from offerbound.http import HttpServer
from tests.fakes.slack_api import FakeSlackAPI
from tests.perf.stats import markdown_table, summary_ms
from tests.slack.conftest import slack_settings_for
from tests.slack.harness import BOT_TOKEN, SIGNING_SECRET, payload, signature

COMMANDS = [
    'apply "Acme {i}" "Backend Engineer"',
    "practice 30m katas",
    "stats",
    "streak",
    "followups",
]
REQUESTS = 300  # per row
LEVELS = (1, 5, 20, 50)  # people typing at once
MEMBERS = 50


async def _measure(url: str) -> list[tuple[str, ...]]:
    async with FakeSlackAPI() as fake, aiohttp.ClientSession() as http:
        settings = Settings(database_url=url, default_timezone="UTC", _env_file=None)
        slack = slack_settings_for(
            fake, bot_token=SecretStr(BOT_TOKEN), signing_secret=SecretStr(SIGNING_SECRET)
        )
        core = await build_app(settings)
        core.dispatcher.throttle = None  # measure the bot, not its limit on one member's pace
        adapter = SlackAdapter(core, SlackConfig.from_settings(slack, REGISTRY))
        http = HttpServer(core, [adapter], host="127.0.0.1", port=0)
        port = await http.start()
        events = f"http://127.0.0.1:{port}/slack/events"

        async def command(n: int, user: str, text: str) -> float:
            body = urlencode(
                payload("slash_command")
                | {
                    "text": text,
                    "user_id": f"U{user.upper()}",
                    "user_name": user,
                    "response_url": fake.response_url(str(n)),
                }
            )
            ts = str(int(time.time()))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature(SIGNING_SECRET, ts, body),
            }
            started = time.perf_counter()
            async with http.post(events, data=body, headers=headers) as response:
                await response.read()
                assert response.status == 200
            return started

        try:
            members = [f"member{i}" for i in range(MEMBERS)]
            await command(-1, "coach", 'cohort create "Bench"')
            await adapter.drain()
            for i, member in enumerate(members):
                await command(-2 - i, member, 'cohort join "Bench"')
                await adapter.drain()
            fake.clear()

            async def user(worker: int, numbers: range, acks: list[float], replies: list[float]):
                """One person: send a command, wait for its answer, send the next."""
                for n in numbers:
                    text = COMMANDS[n % len(COMMANDS)].format(i=n)
                    started = await command(n, members[worker % MEMBERS], text)
                    acks.append(time.perf_counter() - started)
                    path = f"/response/{n}"
                    await fake.wait_until(lambda p=path: any(c.path == p for c in fake.calls))
                    arrived = next(c.at for c in fake.calls if c.path == path)
                    replies.append(arrived - started)

            rows = []
            for users in LEVELS:
                acks: list[float] = []
                replies: list[float] = []
                per_user = REQUESTS // users
                began = time.perf_counter()
                await asyncio.gather(
                    *(
                        user(w, range(w * per_user, (w + 1) * per_user), acks, replies)
                        for w in range(users)
                    )
                )
                label = "1 person at a time" if users == 1 else f"{users} people at once"
                rate = len(replies) / (time.perf_counter() - began)
                rows.append((label, *summary_ms(acks), *summary_ms(replies)[:2], f"{rate:.0f}"))
                fake.clear()
            assert adapter.errors == []
        finally:
            await adapter.stop()
            await http.stop()
            await core.close()
    return rows


async def run() -> str:
    out = ["## Slack: acknowledgement and reply latency", ""]
    out.append(
        f"{REQUESTS} signed slash commands (`/ob apply|practice|stats|streak|followups`) from "
        f"{MEMBERS} members of one cohort, POSTed to the aiohttp server on localhost by 1, 5, 20 "
        "and 50 people at once (each waits for their answer before typing the next command). "
        "*Ack* is the HTTP response Slack waits for (limit 3 s); *reply* is until the answer "
        "reached the fake Slack's response_url; throughput is answered commands a second."
    )
    header = (
        "requests",
        "ack p50 ms",
        "ack p99 ms",
        "ack mean ms",
        "reply p50 ms",
        "reply p99 ms",
        "commands/s",
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
                    rows = await _measure(private)
            else:
                rows = await _measure(url)
            out += ["", f"### {label}", "", markdown_table(header, rows)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(asyncio.run(run()))
