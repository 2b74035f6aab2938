"""`offerbound run --platform slack` as a real process, set-up errors, and the CLI's import cost."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.harness import BOT_TOKEN, SIGNING_SECRET, signed_slash


def environment(tmp_path: Path, **env: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "OFFERBOUND_"))
    }
    return {**clean, "OFFERBOUND_DATABASE_URL": f"sqlite:///{tmp_path / 'slack.db'}", **env}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_importing_the_cli_does_not_load_slack_bolt() -> None:
    code = (
        "import sys, offerbound.cli, adapters.slack.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'slack_bolt', 'slack_sdk'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("settings", "needs"),
    [
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": SIGNING_SECRET}, "SLACK_BOT_TOKEN"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-wrong"}, "xapp-"),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "s",
             "OFFERBOUND_SLACK_COMMAND": "ob"},
            "slash command name",
        ),
    ],
)  # fmt: skip
def test_missing_settings_are_explained(
    settings: dict[str, str], needs: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "offerbound", "run", "--platform", "slack", "--port", "0"],
        env=environment(tmp_path, **settings),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert needs in result.stderr
    assert "Traceback" not in result.stderr


async def test_offerbound_run_serves_slack_over_http(tmp_path: Path) -> None:
    port = free_port()
    async with FakeSlackAPI() as fake, aiohttp.ClientSession() as http:
        env = environment(
            tmp_path,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            OFFERBOUND_SLACK_API_URL=fake.api_url,
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "offerbound", "run", "--platform", "slack", "--port", str(port),
            cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_until_healthy(http, base, process)
            status = await signed_slash(http, base, fake, 'apply Stripe "Backend Engineer"')
            assert status == 200
            [reply] = await fake.wait_for("response_url")
            assert "Logged application A1" in reply.text()
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
        assert process.returncode == 0, stderr.decode()
        assert f"HTTP on /slack/events, port {port}" in stderr.decode()
        assert "stopping" in stderr.decode()
        assert BOT_TOKEN not in stderr.decode() and SIGNING_SECRET not in stderr.decode()


async def wait_until_healthy(
    http: aiohttp.ClientSession, base: str, process: asyncio.subprocess.Process
) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.returncode is None, "the server exited"
        try:
            async with http.get(f"{base}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("the server did not become healthy")
