"""Slack fixtures: the fake Slack Web API and the adapter served on localhost, per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from pydantic import SecretStr

from adapters.slack.adapter import SlackAdapter
from adapters.slack.config import SlackConfig
from adapters.slack.settings import SlackSettings
from bot.app import App
from bot.commands import REGISTRY
from offerbound.http import HttpServer
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.harness import BOT_TOKEN, SIGNING_SECRET, SlackHarness


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI() as fake:
        yield fake


def slack_settings_for(fake: FakeSlackAPI, **values: object) -> SlackSettings:
    """Slack settings pointing at the fake, as if read from the environment (and only that)."""
    return SlackSettings(_env_file=None, api_url=fake.api_url, **values)


@pytest.fixture
def slack_settings(fake_slack: FakeSlackAPI) -> SlackSettings:
    """One workspace over HTTP: a bot token and signing secret, Slack at the fake."""
    return slack_settings_for(
        fake_slack, bot_token=SecretStr(BOT_TOKEN), signing_secret=SecretStr(SIGNING_SECRET)
    )


async def serve_harness(
    app: App, settings: SlackSettings, fake: FakeSlackAPI, secret_key: str | None = None
) -> AsyncIterator[SlackHarness]:
    """The adapter behind the runtime's own HTTP server on a free port (``secret_key``: the
    OFFERBOUND_SECRET_KEY OAuth encrypts tokens with)."""
    adapter = SlackAdapter(app, SlackConfig.from_settings(settings, REGISTRY, secret_key))
    http = HttpServer(app, [adapter], host="127.0.0.1", port=0)
    port = await http.start()
    async with aiohttp.ClientSession() as session:
        try:
            yield SlackHarness(adapter, fake, f"http://127.0.0.1:{port}", session)
        finally:
            await adapter.stop()
            await http.stop()
    assert adapter.errors == [], adapter.errors


@pytest.fixture
async def slack(
    app: App, slack_settings: SlackSettings, fake_slack: FakeSlackAPI
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
