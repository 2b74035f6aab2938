"""Multi-workspace OAuth: installs are stored in our database and each workspace is its tenant."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlparse

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from bot.app import App
from bot.delivery import Target, Unreachable
from bot.replies import Reply
from bot.settings import Settings
from storage.secrets import looks_encrypted, new_key
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.conftest import serve_harness, slack_settings_for
from tests.slack.harness import SIGNING_SECRET, SlackHarness

INSTALLED_TOKEN = "xoxb-installed-token"
SECRET_KEY = new_key()  # OFFERBOUND_SECRET_KEY for every OAuth test

# slack_sdk itself still passes aiohttp.BasicAuth for oauth.v2.access.
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


@pytest.fixture
def team() -> str:
    """A workspace id of its own per test (Slack tables outlive a test on PostgreSQL)."""
    return "T" + uuid.uuid4().hex[:8].upper()


@pytest.fixture
async def oauth(
    app: App, settings: Settings, fake_slack: FakeSlackAPI, team: str
) -> AsyncIterator[SlackHarness]:
    oauth_settings = slack_settings_for(
        fake_slack,
        client_id=f"{uuid.uuid4().hex[:10]}.1234",
        client_secret=SecretStr("client-secret"),
        signing_secret=SecretStr(SIGNING_SECRET),
    )
    fake_slack.answer(
        "oauth.v2.access",
        {
            "ok": True,
            "app_id": "A0OFFER",
            "authed_user": {"id": "UCOACH"},
            "scope": "chat:write,commands",
            "token_type": "bot",
            "access_token": INSTALLED_TOKEN,
            "bot_user_id": "UBOT",
            "team": {"id": team, "name": "Spring Cohort"},
            "enterprise": None,
            "is_enterprise_install": False,
        },
    )
    async for harness in serve_harness(app, oauth_settings, fake_slack, SECRET_KEY):
        yield harness


async def install(slack: SlackHarness) -> str:
    """Walk the install flow like a browser: /slack/install, then Slack's redirect back."""
    async with slack.session.get(f"{slack.url}/slack/install", allow_redirects=False) as page:
        assert page.status == 200
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    authorize = re.search(r'href="([^"]+/oauth/v2/authorize[^"]+)"', html)
    assert authorize, html
    link = urlparse(authorize[1].replace("&amp;", "&"))
    assert f"{link.scheme}://{link.netloc}" == slack.fake.url  # same host as the Web API
    query = parse_qs(link.query)
    assert "commands" in query["scope"][0]
    state = query["state"][0]
    async with slack.session.get(
        f"{slack.url}/slack/oauth_redirect",
        params={"code": "one-time-code", "state": state},
        headers={"Cookie": cookie},
    ) as done:
        return f"{done.status} {await done.text()}"


async def test_installing_stores_the_workspace_and_its_commands_work(
    oauth: SlackHarness, team: str
) -> None:
    result = await install(oauth)
    assert result.startswith("200"), result
    [exchange] = oauth.fake.calls_to("oauth.v2.access")
    assert exchange.body["code"] == "one-time-code"
    async with oauth.adapter.core.engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT team_id, bot_token FROM slack_installations WHERE team_id = :t"),
                {"t": team},
            )
        ).all()
    [(stored_team, stored_token)] = rows
    assert stored_team == team and looks_encrypted(stored_token)  # never in clear

    oauth.fake.clear()
    await oauth.command('cohort create "Spring 2027"', user="coach", team_id=team)
    assert "Created cohort Spring 2027" in oauth.reply_text()
    await oauth.command("cohort members", user="coach", team_id=team)
    assert "coach" in oauth.reply_text()
    # The authorizer caches: one auth.test for the token, not one per request.
    assert [c.token for c in oauth.fake.calls_to("auth.test")] == [INSTALLED_TOKEN]
    assert "Spring 2027" in await oauth.core("cohort members", user="coach", team=team)


async def test_a_state_that_was_not_issued_is_refused(oauth: SlackHarness) -> None:
    async with oauth.session.get(
        f"{oauth.url}/slack/oauth_redirect", params={"code": "x", "state": "forged"}
    ) as response:
        assert response.status == 400
    assert oauth.fake.calls_to("oauth.v2.access") == []


async def test_a_workspace_that_did_not_install_gets_nothing(oauth: SlackHarness) -> None:
    status, _ = await oauth.command("apps", team_id="T0STRANGER")
    assert status == 200
    assert oauth.fake.calls_to("auth.test") == []
    [answer] = oauth.fake.calls
    assert answer.method == "response_url"
    assert "Offerbound is not installed in this workspace" in answer.text()
    outcome = await oauth.adapter.send(Target("T0STRANGER", user_id="UALICE"), Reply.of("hi"), "k")
    assert isinstance(outcome, Unreachable)


async def test_delivery_uses_the_installed_token(oauth: SlackHarness, team: str) -> None:
    await install(oauth)
    oauth.fake.clear()
    await oauth.adapter.send(Target(team, user_id="UALICE"), Reply.of("standup time"), "k")
    assert {c.token for c in oauth.fake.calls} == {INSTALLED_TOKEN}


async def test_uninstalling_forgets_the_tokens(oauth: SlackHarness, team: str) -> None:
    await install(oauth)
    status, _ = await oauth.event(
        "app_home_opened",
        {"type": "app_uninstalled", "tab": None},
        event_id=f"Ev{uuid.uuid4().hex[:8]}",
        team=team,
    )
    assert status == 200
    async with oauth.adapter.core.engine.connect() as conn:
        left = await conn.scalar(
            text("SELECT count(*) FROM slack_bots WHERE team_id = :t"), {"t": team}
        )
    assert left == 0
