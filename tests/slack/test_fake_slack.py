"""The strict FakeSlackAPI refuses what Slack refuses, in Slack's own error shape: one test per rule
of tests/fakes/slack_rules.py, each with a payload that breaks it, sent through the real SDK."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes import slack_rules as rules
from tests.fakes.slack_api import MANIFEST, FakeSlackAPI
from tests.slack.harness import BOT_TOKEN

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI() as slack:
        yield slack


@pytest.fixture
async def client(fake: FakeSlackAPI) -> AsyncIterator[AsyncWebClient]:
    async with aiohttp.ClientSession() as session:
        yield AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url, session=session)


async def refused(call: Any) -> dict[str, Any]:
    """What Slack answered to a call the SDK raised for (HTTP 200, ``ok: false``)."""
    with pytest.raises(SlackApiError) as caught:
        await call
    assert caught.value.response.status_code == 200
    data: dict[str, Any] = caught.value.response.data
    assert data["ok"] is False
    return data


async def post(client: AsyncWebClient, method: str, **args: Any) -> Any:
    if method == "chat.postEphemeral":
        return client.chat_postEphemeral(channel="C0COHORT", user="UALICE", **args)
    if method == "chat.update":
        return client.chat_update(channel="C0COHORT", ts="1763478000.000001", **args)
    return client.chat_postMessage(channel="C0COHORT", **args)


MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update")


# -- Block Kit, with Slack's SDK models ---------------------------------------------------------


@pytest.mark.parametrize("method", MESSAGE_METHODS)
async def test_invalid_blocks_are_refused_with_slacks_errors(
    fake: FakeSlackAPI, client: AsyncWebClient, method: str
) -> None:
    data = await refused(
        await post(client, method, text="x", blocks=[SECTION, section("x" * 3001)])
    )
    assert data["error"] == "invalid_blocks"
    assert data["errors"] == [
        "text attribute cannot exceed 3000 characters [json-pointer:/blocks/1]"
    ]
    assert data["response_metadata"]["messages"] == [f"[ERROR] {data['errors'][0]}"]
    assert [r.error for r in fake.refused] == ["invalid_blocks"]


async def test_nested_elements_are_validated_too(client: AsyncWebClient) -> None:
    button = {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "value": "v"}
    data = await refused(
        client.chat_postMessage(
            channel="C1", text="x", blocks=[{"type": "actions", "elements": [button]}]
        )
    )
    assert data["error"] == "invalid_blocks"
    assert "75" in data["errors"][0] and "/blocks/0" in data["errors"][0]


async def test_more_than_fifty_blocks_are_refused(client: AsyncWebClient) -> None:
    data = await refused(client.chat_postMessage(channel="C1", text="x", blocks=[SECTION] * 51))
    assert data["error"] == "invalid_blocks"
    assert data["errors"] == ["no more than 50 items allowed [json-pointer:/blocks]"]


async def test_empty_text_is_refused(client: AsyncWebClient) -> None:
    data = await refused(client.chat_postMessage(channel="C1", text="x", blocks=[section("")]))
    assert data["errors"] == ["must be more than 0 characters [json-pointer:/blocks/0/text/text]"]


async def test_an_unknown_block_type_is_refused(client: AsyncWebClient) -> None:
    data = await refused(
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "sparkles"}])
    )
    assert data["errors"] == ["unsupported type: sparkles [json-pointer:/blocks/0/type]"]


async def test_a_section_field_over_two_thousand_characters_is_refused(
    client: AsyncWebClient,
) -> None:
    fields = [{"type": "mrkdwn", "text": "ok"}, {"type": "mrkdwn", "text": "f" * 2001}]
    data = await refused(
        client.chat_postMessage(
            channel="C1", text="x", blocks=[{"type": "section", "fields": fields}]
        )
    )
    assert data["errors"] == [
        "must be less than 2001 characters [json-pointer:/blocks/0/fields/1/text]"
    ]


async def test_blocks_that_are_not_an_array_are_refused(client: AsyncWebClient) -> None:
    data = await refused(client.chat_postMessage(channel="C1", text="x", blocks="not json"))
    assert data == {"ok": False, "error": "invalid_blocks_format"}


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
async def test_a_message_with_neither_text_nor_blocks_is_refused(client: AsyncWebClient) -> None:
    data = await refused(client.chat_postMessage(channel="C1", text=""))
    assert data == {"ok": False, "error": "no_text"}


async def test_text_over_forty_thousand_characters_is_refused(client: AsyncWebClient) -> None:
    await client.chat_postMessage(channel="C1", text="t" * 40_000)
    data = await refused(client.chat_postMessage(channel="C1", text="t" * 40_001))
    assert data == {"ok": False, "error": "msg_too_long"}


async def test_blocks_carrying_too_much_text_together_are_refused(
    fake: FakeSlackAPI, client: AsyncWebClient
) -> None:
    four = [section("w" * 2500)] * 4  # each block valid, 10,000 characters together
    await client.chat_postMessage(channel="C1", text="x", blocks=four)
    data = await refused(
        client.chat_postMessage(channel="C1", text="x", blocks=[*four, section("w")])
    )
    assert data == {"ok": False, "error": "msg_blocks_too_long"}  # no detail, as Slack does
    emoji = [section("🚀" * 2500)] * 2 + [section("x")]  # 5,001 characters, 10,001 units
    assert (await refused(client.chat_postMessage(channel="C1", text="x", blocks=emoji)))[
        "error"
    ] == "msg_blocks_too_long"
    fake.blocks_text_budget = 100  # configurable
    data = await refused(
        client.chat_postMessage(channel="C1", text="x", blocks=[section("y" * 101)])
    )
    assert data["error"] == "msg_blocks_too_long"


def test_every_text_object_counts_towards_the_combined_text() -> None:
    blocks = [
        section("abc"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "de"}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "f"}]},
        {
            "type": "actions",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "gh"}, "value": "VALUE"}
            ],
        },
        {"type": "header", "text": {"type": "plain_text", "text": "🚀"}},
    ]
    assert rules.blocks_text_length(blocks) == 3 + 2 + 1 + 2 + 2  # values and types don't count


# -- views --------------------------------------------------------------------------------------


def modal(**changes: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "ob_form",
        "title": {"type": "plain_text", "text": "Standup"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [SECTION],
    }
    return {**view, **changes}


async def test_invalid_views_are_refused_as_invalid_arguments(
    fake: FakeSlackAPI, client: AsyncWebClient
) -> None:
    long_title = modal(title={"type": "plain_text", "text": "t" * 25})
    for call in (
        client.views_open(trigger_id="1.2.3", view=long_title),
        client.views_update(view_id="V1", view=long_title),
        client.views_publish(user_id="UALICE", view={**long_title, "type": "home"}),
    ):
        data = await refused(call)
        assert data["error"] == "invalid_arguments"
        assert any(
            m.startswith("[ERROR] ") and "json-pointer:/view" in m
            for m in data["response_metadata"]["messages"]
        )
    data = await refused(client.views_open(trigger_id="1", view=modal(blocks=[SECTION] * 101)))
    assert (
        "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"
        in data["response_metadata"]["messages"]
    )
    data = await refused(client.views_open(trigger_id="1", view=modal(blocks=[section("")])))
    assert data["response_metadata"]["messages"] == [
        "[ERROR] must be more than 0 characters [json-pointer:/view/blocks/0/text/text]"
    ]
    await client.views_open(trigger_id="1", view=modal())
    assert len(fake.refused) == 5


# -- response_url -------------------------------------------------------------------------------


async def test_a_response_url_refuses_like_an_incoming_webhook(fake: FakeSlackAPI) -> None:
    async with aiohttp.ClientSession() as http:
        url = fake.response_url("alice")
        ok = {"text": "x", "blocks": [SECTION], "response_type": "ephemeral"}
        async with http.post(url, json=ok) as response:
            assert (response.status, await response.text()) == (200, "ok")
        bad = {**ok, "blocks": [section("x" * 3001)]}
        async with http.post(url, json=bad) as response:
            assert (response.status, await response.text()) == (400, "invalid_blocks")
        long = {**ok, "blocks": [section("w" * 2500)] * 5}
        async with http.post(url, json=long) as response:
            assert (response.status, await response.text()) == (400, "msg_blocks_too_long")


# -- scopes -------------------------------------------------------------------------------------


def test_the_granted_scopes_are_the_manifests_bot_scopes() -> None:
    assert rules.manifest_bot_scopes(MANIFEST) >= {"chat:write", "files:read", "channels:history"}


async def test_a_method_without_its_scope_is_refused(
    fake: FakeSlackAPI, client: AsyncWebClient
) -> None:
    fake.grant(BOT_TOKEN, {"chat:write", "im:write"})
    data = await refused(client.users_info(user="UALICE"))
    assert data == {
        "ok": False,
        "error": "missing_scope",
        "needed": "users:read",
        "provided": "chat:write,im:write",
    }
    await client.conversations_open(users="UALICE")
    assert (await refused(client.conversations_open(users="UALICE,UBOB")))["needed"] == (
        "mpim:write"
    )
    for method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
        assert (await refused(client.api_call(method, params={"filename": "x", "length": 1})))[
            "needed"
        ] == "files:write"


async def test_history_needs_the_scope_of_the_conversations_kind(
    fake: FakeSlackAPI, client: AsyncWebClient
) -> None:
    fake.grant(BOT_TOKEN, {"chat:write"})
    fake.private_channels.add("C0SECRET")
    for channel, needed in (
        ("C0PUBLIC", "channels:history"),
        ("C0SECRET", "groups:history"),
        ("G0LEGACY", "groups:history"),
        ("DALICE", "im:history"),
    ):
        data = await refused(client.conversations_history(channel=channel))
        assert (data["error"], data["needed"]) == ("missing_scope", needed)


async def test_channels_the_bot_is_not_in(fake: FakeSlackAPI, client: AsyncWebClient) -> None:
    fake.outside_channels |= {"C0PUBLIC", "C0SECRET"}
    fake.private_channels.add("C0SECRET")
    await client.chat_postMessage(channel="C0PUBLIC", text="x")  # chat:write.public granted
    data = await refused(client.conversations_history(channel="C0PUBLIC"))
    assert data == {"ok": False, "error": "not_in_channel"}
    data = await refused(client.chat_postMessage(channel="C0SECRET", text="x"))
    assert data == {"ok": False, "error": "channel_not_found"}
    fake.grant(BOT_TOKEN, {"chat:write", "channels:history"})
    data = await refused(client.chat_postMessage(channel="C0PUBLIC", text="x"))
    assert (data["error"], data["needed"]) == ("missing_scope", "chat:write.public")


async def test_tokens_and_methods_slack_does_not_know(fake: FakeSlackAPI) -> None:
    async with aiohttp.ClientSession() as session:
        anonymous = AsyncWebClient(token=None, base_url=fake.api_url, session=session)
        data = await refused(anonymous.chat_postMessage(channel="C1", text="x"))
        assert data == {"ok": False, "error": "not_authed"}
        bot = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url, session=session)
        assert (await refused(bot.api_call("chat.sparkle")))["error"] == "unknown_method"
        data = await refused(bot.apps_connections_open(app_token=BOT_TOKEN))
        assert data["needed"] == "connections:write"  # an app-level token's scope


async def test_a_private_file_needs_files_read(fake: FakeSlackAPI, tmp_path: Path) -> None:
    url = fake.host_file("F1", b"Company,Role\n", BOT_TOKEN)
    async with aiohttp.ClientSession() as http:
        auth = {"Authorization": f"Bearer {BOT_TOKEN}"}
        async with http.get(url, headers=auth) as response:
            assert (response.status, await response.read()) == (200, b"Company,Role\n")
        fake.grant(BOT_TOKEN, rules.manifest_bot_scopes(MANIFEST) - {"files:read"})
        async with http.get(url, headers=auth) as response:
            assert response.status == 200  # Slack's sign-in page, not the file
            assert response.content_type == "text/html"
            assert "Sign in" in await response.text()
        async with http.get(url, headers={"Authorization": "Bearer xoxb-other"}) as response:
            assert response.content_type == "text/html"
    assert [r.error for r in fake.refused] == ["sign_in_page", "sign_in_page"]


async def test_the_fake_reads_the_scopes_from_the_manifest_it_is_given(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        MANIFEST.read_text(encoding="utf-8").replace('      - "users:read"\n', ""),
        encoding="utf-8",
    )
    async with FakeSlackAPI(manifest=manifest) as fake, aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url, session=session)
        assert (await refused(client.users_info(user="UALICE")))["needed"] == "users:read"


async def test_thread_replies_stay_out_of_the_channels_history(
    fake: FakeSlackAPI, client: AsyncWebClient
) -> None:
    parent = await client.chat_postMessage(channel="C1", text="summary")
    await client.chat_postMessage(channel="C1", text="answer", thread_ts=parent["ts"])
    history = await client.conversations_history(channel="C1")
    assert [m["text"] for m in history["messages"]] == ["summary"]
    assert [m["text"] for m in fake.threads[("C1", parent["ts"])]] == ["answer"]


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_token_rotation_refreshes_once_and_refuses_expired_tokens(
    fake: FakeSlackAPI, client: AsyncWebClient, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 18, 15, tzinfo=UTC), tick=False)
    fake.rotation.client_id, fake.rotation.client_secret = "1.2", "secret"
    access, refresh = fake.rotation.issue("bot", team_id="T1", expires_in=60)
    assert (await client.auth_test(token=access))["ok"]
    time_machine.shift(61)
    assert await refused(client.auth_test(token=access)) == rules.EXPIRED_TOKEN

    def exchange(token: str, secret: str = "secret") -> Any:
        return client.oauth_v2_access(
            client_id="1.2", client_secret=secret, grant_type="refresh_token", refresh_token=token
        )

    assert await refused(exchange(refresh, "wrong")) == rules.BAD_CLIENT_SECRET
    answer = await exchange(refresh)
    assert answer["token_type"] == "bot" and answer["expires_in"] == rules.ROTATED_TOKEN_SECONDS
    assert answer["access_token"].startswith("xoxe.xoxb-") and answer["refresh_token"] != refresh
    assert (await client.auth_test(token=answer["access_token"]))["ok"]
    # The spent refresh token is revoked: a second exchange is refused.
    assert await refused(exchange(refresh)) == rules.INVALID_REFRESH_TOKEN
    assert await refused(exchange("xoxe-1-never-issued")) == rules.INVALID_REFRESH_TOKEN
