"""Slack fixtures: the fake Slack Web API and the adapter served on localhost, per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from pydantic import SecretStr

from adapters.slack.adapter import SlackAdapter
from adapters.slack.config import SlackConfig
from adapters.slack.server import start_http
from bot.app import App
from bot.commands import REGISTRY
from bot.settings import Settings
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.harness import BOT_TOKEN, SIGNING_SECRET, SlackHarness


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture
def slack_settings(settings: Settings, fake_slack: FakeSlackAPI) -> Settings:
    """One workspace over HTTP: a bot token and signing secret, Slack at the fake."""
    return settings.model_copy(
        update={
            "slack_bot_token": SecretStr(BOT_TOKEN),
            "slack_signing_secret": SecretStr(SIGNING_SECRET),
            "slack_api_url": fake_slack.api_url,
        }
    )


async def serve_harness(
    app: App, settings: Settings, fake: FakeSlackAPI
) -> AsyncIterator[SlackHarness]:
    adapter = SlackAdapter(app, SlackConfig.from_settings(settings, REGISTRY))
    runner, port = await start_http(adapter, host="127.0.0.1", port=0)
    async with aiohttp.ClientSession() as session:
        try:
            yield SlackHarness(adapter, fake, f"http://127.0.0.1:{port}", session)
        finally:
            await adapter.stop()
            await runner.cleanup()
    assert adapter.errors == [], adapter.errors


@pytest.fixture
async def slack(
    app: App, slack_settings: Settings, fake_slack: FakeSlackAPI
) -> AsyncIterator[SlackHarness]:
    """The Slack adapter over HTTP on a free port, answering through the fake Slack."""
    async for harness in serve_harness(app, slack_settings, fake_slack):
        yield harness


@pytest.fixture
async def cohort(slack: SlackHarness) -> SlackHarness:
    """Cohort "Fall 2026" in UTC, created from Slack by coach; alice and bob joined."""
    await slack.command('cohort create "Fall 2026" timezone=UTC', user="coach")
    assert "Created cohort Fall 2026" in slack.reply_text()
    for name in ("alice", "bob"):
        await slack.command('cohort join "Fall 2026"', user=name)
        assert "You're in Fall 2026" in slack.reply_text()
    slack.fake.clear()
    return slack
