"""Slack token rotation, against the strict fake: an install whose tokens expire every 12 hours.

A token about to expire is refreshed before use, in a command (bolt's authorize) and in a
scheduled delivery (the pusher), once however many ask at the same time, even from another
replica; the new tokens are stored encrypted, and no token ever reaches the logs.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text

from adapters.slack.installations import Installations
from bot.app import App
from bot.delivery import Delivered, Target, Unreachable
from bot.replies import Reply
from bot.settings import Settings
from storage.secrets import SecretBox, looks_encrypted
from tests.conftest import WEDNESDAY
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.conftest import serve_harness, slack_settings_for
from tests.slack.harness import SIGNING_SECRET, SlackHarness
from tests.slack.test_oauth import SECRET_KEY, install

pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")

CLIENT_SECRET = "client-secret-for-rotation"
NEARLY_EXPIRED = WEDNESDAY + timedelta(hours=11)  # 12-hour tokens: one hour left


@pytest.fixture
def team() -> str:
    return "T" + uuid.uuid4().hex[:8].upper()


@pytest.fixture
def client_id() -> str:
    return f"{uuid.uuid4().hex[:10]}.1234"


@pytest.fixture
async def rotating(
    app: App, fake_slack: FakeSlackAPI, team: str, client_id: str
) -> AsyncIterator[SlackHarness]:
    """An OAuth deployment installed in ``team`` with token rotation on (bot and user tokens)."""
    fake_slack.rotation.client_id, fake_slack.rotation.client_secret = client_id, CLIENT_SECRET
    bot, bot_refresh = fake_slack.rotation.issue("bot", team_id=team)
    user, user_refresh = fake_slack.rotation.issue("user", team_id=team, user_id="UCOACH")
    fake_slack.answer(
        "oauth.v2.access",
        {
            "ok": True,
            "app_id": "A0OFFER",
            "authed_user": {
                "id": "UCOACH",
                "scope": "search:read",
                "access_token": user,
                "token_type": "user",
                "refresh_token": user_refresh,
                "expires_in": 43_200,
            },
            "scope": "chat:write,commands",
            "token_type": "bot",
            "access_token": bot,
            "refresh_token": bot_refresh,
            "expires_in": 43_200,
            "bot_user_id": "UBOT",
            "team": {"id": team, "name": "Spring Cohort"},
            "enterprise": None,
            "is_enterprise_install": False,
        },
    )
    settings = slack_settings_for(
        fake_slack,
        client_id=client_id,
        client_secret=SecretStr(CLIENT_SECRET),
        signing_secret=SecretStr(SIGNING_SECRET),
    )
    async for harness in serve_harness(app, settings, fake_slack, SECRET_KEY):
        assert (await install(harness)).startswith("200")
        harness.fake.clear()
        yield harness


def refreshes(slack: SlackHarness) -> list[str]:
    """The refresh tokens the app spent, in order."""
    return [
        str(c.body["refresh_token"])
        for c in slack.fake.calls_to("oauth.v2.access")
        if c.body.get("grant_type") == "refresh_token"
    ]


async def stored_tokens(slack: SlackHarness, team: str) -> list[str]:
    """Every token column of the workspace's rows, as the database holds them."""
    async with slack.adapter.core.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT bot_token, bot_refresh_token, user_token, user_refresh_token "
                    "FROM slack_installations WHERE team_id = :t "
                    "UNION ALL SELECT bot_token, bot_refresh_token, NULL, NULL "
                    "FROM slack_bots WHERE team_id = :t"
                ),
                {"t": team},
            )
        ).all()
    return [value for row in rows for value in row if value is not None]


async def test_a_command_refreshes_a_token_about_to_expire(
    rotating: SlackHarness, team: str, time_machine
) -> None:
    await rotating.command("apps", user="coach", team_id=team)
    assert refreshes(rotating) == []  # 12 hours left: nothing to do
    old = rotating.fake.calls_to("auth.test")[0].token  # the bot token (then the user's)

    time_machine.move_to(NEARLY_EXPIRED, tick=False)
    rotating.fake.clear()
    await rotating.command('cohort create "Spring 2027"', user="coach", team_id=team)
    assert "Created cohort Spring 2027" in rotating.reply_text()
    assert len(refreshes(rotating)) == 2  # the bot token and the installer's user token
    checked, user = rotating.fake.calls_to("auth.test")  # bolt checks both tokens
    assert checked.token != old and checked.token.startswith("xoxe.xoxb-")
    assert user.token.startswith("xoxe.xoxp-")
    assert not rotating.fake.rotation.expired(checked.token)
    assert rotating.fake.refused == []

    # Stored encrypted, in both tables: the next command (and a restart) uses the new token.
    stored = await stored_tokens(rotating, team)
    assert stored and all(looks_encrypted(v) for v in stored)
    assert checked.token not in str(stored) and user.token not in str(stored)
    found = await rotating.adapter.installations.async_find_bot(enterprise_id=None, team_id=team)
    assert found.bot_token == checked.token
    rotating.fake.clear()
    await rotating.command("apps", user="coach", team_id=team)
    assert refreshes(rotating) == []


async def test_a_scheduled_delivery_refreshes_first_and_an_expired_token_is_refused(
    rotating: SlackHarness, team: str, time_machine
) -> None:
    time_machine.move_to(WEDNESDAY + timedelta(hours=13), tick=False)  # expired already
    old = (await stored_bot(rotating, team, refresh=False)).bot_token
    client = AsyncWebClient(token=old, base_url=rotating.fake.api_url)
    with pytest.raises(Exception, match="token_expired"):
        await client.auth_test()  # as Slack does: the expired token is refused
    rotating.fake.clear()

    outcome = await rotating.adapter.send(
        Target(team, user_id="UALICE"), Reply.of("standup time"), "standup:1"
    )
    assert isinstance(outcome, Delivered)
    assert len(refreshes(rotating)) == 1
    [post] = rotating.fake.calls_to("chat.postMessage")
    assert post.token != old and not rotating.fake.rotation.expired(post.token)
    assert rotating.fake.refused == []


async def stored_bot(slack: SlackHarness, team: str, *, refresh: bool = True):
    """The bot as stored (read without refreshing when ``refresh`` is false)."""
    store = slack.adapter.installations
    if refresh:
        return await store.async_find_bot(enterprise_id=None, team_id=team)
    return await super(Installations, store).async_find_bot(enterprise_id=None, team_id=team)


async def test_concurrent_uses_refresh_once(
    rotating: SlackHarness, team: str, time_machine
) -> None:
    time_machine.move_to(NEARLY_EXPIRED, tick=False)
    adapter = rotating.adapter
    sends = [
        adapter.send(Target(team, user_id=f"U{n}"), Reply.of(f"standup {n}"), f"standup:{n}")
        for n in range(6)
    ]
    lookups = [
        adapter.installations.async_find_installation(enterprise_id=None, team_id=team)
        for _ in range(4)
    ]
    done = await asyncio.gather(*sends, *lookups)
    assert all(isinstance(o, Delivered) for o in done[:6])
    tokens = {i.bot_token for i in done[6:]} | {
        c.token for c in rotating.fake.calls_to("chat.postMessage")
    }
    assert len(tokens) == 1  # everyone used the one new token
    assert len([r for r in refreshes(rotating)]) == 2  # bot once, installer's user token once
    assert rotating.fake.refused == []


async def test_two_replicas_refreshing_at_once_keep_the_newer_token(
    rotating: SlackHarness, team: str, client_id: str, time_machine
) -> None:
    time_machine.move_to(NEARLY_EXPIRED, tick=False)
    other = Installations(
        client_id=client_id,
        client_secret=CLIENT_SECRET,
        engine=rotating.adapter.core.engine,
        box=SecretBox.from_setting(SECRET_KEY),
        client=AsyncWebClient(base_url=rotating.fake.api_url),
    )
    here = rotating.adapter.installations
    rotating.fake.rotation.delay = 0.3  # both replicas ask before either has an answer
    found = await asyncio.gather(
        here.async_find_bot(enterprise_id=None, team_id=team),
        other.async_find_bot(enterprise_id=None, team_id=team),
    )
    assert found[0].bot_token == found[1].bot_token
    assert not rotating.fake.rotation.expired(found[0].bot_token)
    assert len(rotating.fake.rotation.refreshed) == 1  # one succeeded, the other was refused
    assert len(refreshes(rotating)) == 2
    assert (await stored_bot(rotating, team)).bot_token == found[0].bot_token


async def test_a_refresh_slack_refuses_leaves_the_workspace_unreachable(
    rotating: SlackHarness, team: str, time_machine
) -> None:
    rotating.fake.rotation.grants.clear()  # the app was reinstalled elsewhere: tokens revoked
    time_machine.move_to(NEARLY_EXPIRED, tick=False)
    outcome = await rotating.adapter.send(
        Target(team, user_id="UALICE"), Reply.of("standup time"), "standup:1"
    )
    assert isinstance(outcome, Unreachable)
    assert "invalid_refresh_token" in outcome.reason
    rotating.fake.clear()
    await rotating.command("apps", user="coach", team_id=team)
    assert "not installed" in rotating.reply_text()
    assert rotating.fake.calls_to("chat.postMessage") == []


async def test_no_token_reaches_the_logs(
    app: App,
    settings: Settings,
    rotating: SlackHarness,
    team: str,
    time_machine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    known = set(rotating.fake.rotation.expires) | set(rotating.fake.rotation.grants)
    time_machine.move_to(NEARLY_EXPIRED, tick=False)
    await rotating.command("apps", user="coach", team_id=team)
    await rotating.adapter.send(Target(team, user_id="UALICE"), Reply.of("hi"), "standup:2")
    known |= set(rotating.fake.rotation.expires) | set(rotating.fake.rotation.grants)
    assert len(refreshes(rotating)) == 2
    logged = caplog.text
    assert "refreshed the bot token" in logged
    assert not [t for t in (*known, CLIENT_SECRET, SECRET_KEY) if t in logged]
