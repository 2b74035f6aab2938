"""One runtime: `offerbound run --platform slack,discord` serves both fakes from one process, with
one HTTP server (Slack's events, a Discord member's calendar feed, /readyz for both) and one
scheduler; SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.discord.harness import GUILD, USERS
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.harness import BOT_TOKEN, SIGNING_SECRET, signed_slash
from tests.slack.test_cli import environment, free_port, wait_until_healthy


async def until_ready(http: aiohttp.ClientSession, base: str) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        async with http.get(f"{base}/readyz") as response:
            body = await response.json()
            if response.status == 200:
                return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"never ready: {body}")


@pytest.fixture
async def discord_fake():
    fake = await FakeDiscord().start()
    for name, user_id in USERS.items():
        fake.add_user(user_id, name)
    fake.add_guild(GUILD, "Bootcamp", [u for n, u in USERS.items() if n != "zed"])
    try:
        yield fake
    finally:
        await fake.close()


async def test_slack_and_discord_share_one_process(tmp_path: Path, discord_fake: FakeDiscord):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeSlackAPI() as slack_fake, aiohttp.ClientSession() as http:
        env = environment(
            tmp_path,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            OFFERBOUND_SLACK_API_URL=slack_fake.api_url,
            DISCORD_TOKEN="fake-token",
            OFFERBOUND_DISCORD_API_URL=discord_fake.api_url,
            OFFERBOUND_DISCORD_GATEWAY_URL=discord_fake.gateway_url,
            OFFERBOUND_PUBLIC_URL=base,
            OFFERBOUND_LOG_LEVEL="INFO",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "offerbound", "run", "--platform", "slack,discord",
            "--port", str(port), cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await wait_until_healthy(http, base, process)
            ready = await until_ready(http, base)
            assert ready["platforms"] == {"slack": "connected", "discord": "connected"}

            status = await signed_slash(http, base, slack_fake, 'apply Stripe "Backend Engineer"')
            assert status == 200
            [reply] = await slack_fake.wait_for("response_url")
            assert "Logged application A1" in reply.text()

            subscribe = [{"name": "subscribe", "type": 1, "options": []}]
            alice = USERS["alice"]
            interaction = await discord_fake.slash(alice, "calendar", subscribe, guild_id=GUILD)
            answer = json.dumps((await discord_fake.response(interaction)).body)
            (feed,) = set(re.findall(rf"{re.escape(base)}/calendar/[A-Za-z0-9_-]+\.ics", answer))
            async with http.get(feed) as response:
                assert response.status == 200
                assert response.content_type == "text/calendar"
                assert "BEGIN:VCALENDAR" in await response.text()
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert f"Offerbound on Slack: HTTP on /slack/events, port {port}" in log
    assert "Offerbound on Discord: gateway connected" in log
    assert log.count("this process now runs the scheduler") == 1
    assert "Offerbound: stopping" in log and "Traceback" not in log
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log and "fake-token" not in log


def test_an_unknown_platform_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "offerbound", "run", "--platform", "slack,irc"],
        env=environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown platform 'irc'" in result.stderr and "console" in result.stderr


def test_a_taken_port_is_a_clear_configuration_error(tmp_path: Path) -> None:
    import socket
    import subprocess

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "offerbound", "run", "--port", str(port)],
            env=environment(tmp_path),
            cwd=tmp_path,
            input="",
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2, result.stderr
    assert f"cannot serve HTTP on 0.0.0.0:{port}" in result.stderr
    assert "Traceback" not in result.stderr
