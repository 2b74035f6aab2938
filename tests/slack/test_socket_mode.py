"""Socket Mode: the same app over the WebSocket Slack opens (no public URL needed)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.app import App
from bot.commands import REGISTRY
from bot.settings import Settings
from tests.examples import preparation
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.conftest import serve_harness, slack_settings_for
from tests.slack.harness import BOT_TOKEN, SlackHarness, as_slack_sends, payload, unescape, user_id
from tests.slack.test_examples import SEED

APP_TOKEN = "xapp-1-A0OFFER-1234-abcdef"


@pytest.fixture
async def socket(
    app: App, settings: Settings, fake_slack: FakeSlackAPI
) -> AsyncIterator[SlackHarness]:
    socket_settings = slack_settings_for(
        fake_slack, bot_token=SecretStr(BOT_TOKEN), app_token=SecretStr(APP_TOKEN)
    )
    async for harness in serve_harness(app, socket_settings, fake_slack):
        await harness.adapter.start()
        yield harness


async def test_a_slash_command_over_socket_mode(socket: SlackHarness) -> None:
    [connect] = socket.fake.calls_to("apps.connections.open")
    assert connect.token == APP_TOKEN
    body = payload("slash_command") | {
        "text": 'apply Stripe "Backend Engineer"',
        "response_url": socket.fake.response_url("alice"),
    }
    ack = await socket.fake.socket_request("slash_commands", body)
    assert ack == {}
    await socket.adapter.drain()
    assert "Logged application A1" in socket.reply_text()
    assert "Stripe" in await socket.core("apps")


async def test_modals_and_events_over_socket_mode(socket: SlackHarness) -> None:
    await socket.fake.socket_request("slash_commands", payload("slash_command") | {"text": "apply"})
    await socket.adapter.drain()
    view = socket.opened_view()
    submission = payload("view_submission")
    submission["view"].update(view)
    submission["view"]["state"] = {
        "values": {
            "company": {"value": {"type": "plain_text_input", "value": "Acme"}},
            "role": {"value": {"type": "plain_text_input", "value": ""}},
        }
    }
    ack = await socket.fake.socket_request("interactive", submission)
    assert ack["response_action"] == "errors" and "role" in ack["errors"]
    home = payload("app_home_opened")
    home["event"]["user"] = user_id("alice")
    assert await socket.fake.socket_request("events_api", home) == {}
    await socket.adapter.drain()
    assert socket.fake.calls_to("views.publish")


async def test_socket_mode_serves_health_but_no_events_endpoint(socket: SlackHarness) -> None:
    async with socket.session.get(f"{socket.url}/healthz") as response:
        assert await response.json() == {"ok": True}
    async with socket.session.get(f"{socket.url}/readyz") as response:
        assert (await response.json())["platform"] == "connected"
    status, _ = await socket.post("{}", content_type="application/json")
    assert status in (404, 405)


async def test_every_example_works_over_socket_mode(socket: SlackHarness) -> None:
    """The registry's examples again, each in a workspace of its own, over the WebSocket."""
    failures = []
    examples = [example for command in REGISTRY for example in command.examples]
    for n, example in enumerate(examples):
        team = f"T0SOCKET{n}"
        await socket.core('cohort create "Fall 2026" timezone=UTC', user="coach", team=team)
        for name in ("alice", "bob"):
            await socket.core('cohort join "Fall 2026"', user=name, team=team)
        ids = {}
        for name, line in SEED:  # ids count across workspaces: the examples' A1 and C1 move
            shown = await socket.core(line, user=name, team=team)
            ids.update(dict.fromkeys(re.findall(r"\b([ABCGHP])(\d+)\b", shown)))
        renumber = {f"{kind}1": f"{kind}{number}" for kind, number in ids}
        for user, line in preparation(example):
            await socket.core(line.removeprefix("/"), user=user, team=team)
        socket.fake.clear()
        body = payload("slash_command") | {
            "team_id": team,
            "user_id": user_id(example.as_user),
            "user_name": example.as_user,
            "text": as_slack_sends(renumbered(example.text.removeprefix("/"), renumber)),
            "response_url": socket.fake.response_url(),
        }
        assert await socket.fake.socket_request("slash_commands", body) == {}
        await socket.adapter.drain()
        shown = unescape("\n".join(call.text() for call in socket.replies()))
        expect = renumbered(example.expect, renumber)
        if "⚠️" in shown or expect not in shown:
            failures.append(f"{example.text}: {shown[:200]}")
    assert not failures, "\n".join(failures)


def renumbered(text: str, renumber: dict[str, str]) -> str:
    """``text`` with the ids A1, B1, C1, G1, H1 and P1 replaced by this workspace's own."""
    return re.sub(r"\b[ABCGHP]1\b", lambda m: renumber.get(m[0], m[0]), text)
