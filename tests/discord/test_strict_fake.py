"""The fake Discord refuses what Discord refuses, with Discord's own error shape.

Each rule of ``tests/fakes/discord_rules.py`` is broken once on every surface a message travels
(a channel post, a DM, an interaction callback, a follow-up, an edit of the original response, a
post in a thread) and must come back as HTTP 400 ``{"code": 50035, "message": "Invalid Form Body",
"errors": {...}}`` naming the field; modals, new threads and interaction acknowledgements have
their own. Raw HTTP against the fake, so these need no bot and no database.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from discord import HTTPException

from tests.discord.harness import GUILD, USERS, Harness
from tests.fakes.discord_server import API, FakeDiscord

Payload = dict[str, Any]


def button(custom_id: str = "ob:run:help", label: str = "Help") -> Payload:
    return {"type": 2, "style": 2, "label": label, "custom_id": custom_id}


def row(*buttons: Payload) -> Payload:
    return {"type": 1, "components": list(buttons)}


def embed(**fields: Any) -> Payload:
    return {"type": "rich", **fields}


def field(name: str = "Name", value: str = "value") -> Payload:
    return {"name": name, "value": value, "inline": False}


# (rule, a message body breaking it, the path Discord names, the error code)
MESSAGE_RULES: list[tuple[str, Payload, tuple[str, ...], str]] = [
    ("content over 2,000", {"content": "x" * 2001}, ("content",), "BASE_TYPE_MAX_LENGTH"),
    (
        "more than 10 embeds",
        {"embeds": [embed(description="x") for _ in range(11)]},
        ("embeds",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "6,001 characters across two embeds",
        {"embeds": [embed(description="x" * 3000), embed(description="y" * 3001)]},
        ("embeds",),
        "MAX_EMBED_SIZE_EXCEEDED",
    ),
    (
        "the 6,000 count includes title, fields, footer and author",
        {
            "embeds": [
                embed(
                    title="t" * 256,
                    description="d" * 3300,
                    fields=[field("n" * 256, "v" * 1024)],
                    footer={"text": "f" * 1000},
                    author={"name": "a" * 256},
                )
            ]
        },
        ("embeds",),
        "MAX_EMBED_SIZE_EXCEEDED",
    ),
    (
        "embed title over 256",
        {"embeds": [embed(title="x" * 257)]},
        ("embeds", "0", "title"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "embed description over 4,096",
        {"embeds": [embed(description="x" * 4097)]},
        ("embeds", "0", "description"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "more than 25 fields",
        {"embeds": [embed(fields=[field() for _ in range(26)])]},
        ("embeds", "0", "fields"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "field name over 256",
        {"embeds": [embed(fields=[field(), field(name="x" * 257)])]},
        ("embeds", "0", "fields", "1", "name"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "field value over 1,024",
        {"embeds": [embed(), embed(fields=[field(value="x" * 1025)])]},
        ("embeds", "1", "fields", "0", "value"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "footer over 2,048",
        {"embeds": [embed(footer={"text": "x" * 2049})]},
        ("embeds", "0", "footer", "text"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "author name over 256",
        {"embeds": [embed(author={"name": "x" * 257})]},
        ("embeds", "0", "author", "name"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "an empty field name",
        {"embeds": [embed(fields=[field(name="")])]},
        ("embeds", "0", "fields", "0", "name"),
        "BASE_TYPE_REQUIRED",
    ),
    (
        "a blank field value",
        {"embeds": [embed(fields=[field(value="  \n ")])]},
        ("embeds", "0", "fields", "0", "value"),
        "BASE_TYPE_REQUIRED",
    ),
    (
        "more than 100 users in allowed_mentions",
        {
            "content": "hi",
            "allowed_mentions": {"parse": [], "users": [str(10**17 + i) for i in range(101)]},
        },
        ("allowed_mentions", "users"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "more than 100 roles in allowed_mentions",
        {
            "content": "hi",
            "allowed_mentions": {"parse": [], "roles": [str(10**17 + i) for i in range(101)]},
        },
        ("allowed_mentions", "roles"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "more than 5 action rows",
        {"content": "hi", "components": [row(button(f"ob:run:{i}")) for i in range(6)]},
        ("components",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "more than 5 buttons in a row",
        {"content": "hi", "components": [row(*(button(f"ob:run:{i}") for i in range(6)))]},
        ("components", "0", "components"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "custom_id over 100",
        {"content": "hi", "components": [row(button("x" * 101))]},
        ("components", "0", "components", "0", "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "button label over 80",
        {"content": "hi", "components": [row(button(label="x" * 81))]},
        ("components", "0", "components", "0", "label"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "two buttons with one custom_id",
        {"content": "hi", "components": [row(button("ob:run:a")), row(button("ob:run:a"))]},
        ("components", "1", "components", "0", "custom_id"),
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
    ("a nonce over 25", {"content": "hi", "nonce": "n" * 26}, ("nonce",), "BASE_TYPE_MAX_LENGTH"),
]


def error_at(body: Payload, path: tuple[str, ...]) -> list[str]:
    """The error codes Discord's nested ``errors`` holds at ``path``."""
    node = body["errors"]
    for key in path:
        assert key in node, (path, body)
        node = node[key]
    return [e["code"] for e in node["_errors"]]


def assert_invalid_form_body(status: int, body: Payload, path: tuple[str, ...], code: str) -> None:
    assert status == 400, body
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body", body
    assert code in error_at(body, path), body
    for item in _leaves(body["errors"]):
        assert set(item) == {"code", "message"} and item["message"], body


def _leaves(node: Payload) -> list[Payload]:
    found = list(node.get("_errors", []))
    for key, child in node.items():
        if key != "_errors":
            found += _leaves(child)
    return found


class Surfaces:
    """Every place the bot writes a message, each posting a raw body to the fake."""

    def __init__(self, fake: FakeDiscord, http: aiohttp.ClientSession) -> None:
        self.fake, self.http = fake, http
        self.base = f"http://127.0.0.1:{fake.port}{API}"

    async def call(self, method: str, path: str, body: Payload) -> tuple[int, Payload]:
        async with self.http.request(method, self.base + path, json=body) as response:
            return response.status, await response.json()

    async def channel(self, body: Payload) -> tuple[int, Payload, tuple[str, ...]]:
        status, answer = await self.call(
            "POST", f"/channels/{self.fake.channel_id(GUILD)}/messages", body
        )
        return status, answer, ()

    async def dm(self, body: Payload) -> tuple[int, Payload, tuple[str, ...]]:
        channel = self.fake.dm_channel(USERS["alice"])
        status, answer = await self.call("POST", f"/channels/{channel}/messages", body)
        return status, answer, ()

    async def callback(self, body: Payload) -> tuple[int, Payload, tuple[str, ...]]:
        interaction = self.fake.interaction(2, USERS["alice"], {"name": "help"}, guild_id=GUILD)
        path = f"/interactions/{interaction.id}/{interaction.token}/callback"
        status, answer = await self.call("POST", path, {"type": 4, "data": body})
        return status, answer, ("data",)

    async def followup(self, body: Payload) -> tuple[int, Payload, tuple[str, ...]]:
        status, answer = await self.call("POST", f"/webhooks/{self.fake.app_id}/token-1", body)
        return status, answer, ()

    async def edit(self, body: Payload) -> tuple[int, Payload, tuple[str, ...]]:
        path = f"/webhooks/{self.fake.app_id}/token-1/messages/@original"
        status, answer = await self.call("PATCH", path, body)
        return status, answer, ()

    async def thread(self, body: Payload) -> tuple[int, Payload, tuple[str, ...]]:
        thread_id = await self.new_thread()
        status, answer = await self.call("POST", f"/channels/{thread_id}/messages", body)
        return status, answer, ()

    async def new_thread(self, name: str = "Standup answers") -> str:
        _, parent, _ = await self.channel({"content": "parent"})
        path = f"/channels/{self.fake.channel_id(GUILD)}/messages/{parent['id']}/threads"
        status, thread = await self.call("POST", path, {"name": name})
        assert status == 200, thread
        return str(thread["id"])


SURFACES = ["channel", "dm", "callback", "followup", "edit", "thread"]


@pytest.fixture
async def surfaces(fake: FakeDiscord) -> AsyncIterator[Surfaces]:
    fake.expect_refusals = True
    async with aiohttp.ClientSession() as http:
        yield Surfaces(fake, http)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(
    ("rule", "body", "path", "code"), MESSAGE_RULES, ids=[r[0] for r in MESSAGE_RULES]
)
async def test_a_message_breaking_a_rule_is_refused_everywhere(
    surfaces: Surfaces,
    surface: str,
    rule: str,
    body: Payload,
    path: tuple[str, ...],
    code: str,
) -> None:
    send: Callable[..., Any] = getattr(surfaces, surface)
    status, answer, prefix = await send(body)
    assert_invalid_form_body(status, answer, (*prefix, *path), code)


@pytest.mark.parametrize("surface", SURFACES)
async def test_a_message_at_every_limit_is_accepted(surfaces: Surfaces, surface: str) -> None:
    """The boundaries themselves pass: the fake refuses what Discord refuses, no more."""
    at_limits = {
        "content": "x" * 2000,
        "nonce": "n" * 25,
        "embeds": [
            embed(title="t" * 256, description="d" * 4096, footer={"text": "f" * 840}),
            embed(fields=[field("n" * 8, "v" * 24) for _ in range(25)]),
            *(embed(description="\u200b") for _ in range(8)),
        ],
        "allowed_mentions": {"parse": [], "users": [str(10**17 + i) for i in range(100)]},
        "components": [
            row(*(button(f"ob:run:{r}{i}", "b" * 80) for i in range(5))) for r in "abcde"
        ],
    }
    assert 256 + 4096 + 840 + 25 * (8 + 24) + 8 == 6000
    status, answer, _ = await getattr(surfaces, surface)(at_limits)
    assert status == 200, answer


@pytest.mark.parametrize("surface", ["channel", "dm", "callback", "followup", "thread"])
async def test_an_empty_message_is_refused(surfaces: Surfaces, surface: str) -> None:
    status, answer, _ = await getattr(surfaces, surface)({"content": "  ", "embeds": []})
    assert (status, answer) == (400, {"message": "Cannot send an empty message", "code": 50006})


def text_input(**overrides: Any) -> Payload:
    return {"type": 4, "custom_id": "today", "style": 1, "required": True, **overrides}


def label(component: Payload | None = None, **overrides: Any) -> Payload:
    return {"type": 18, "label": "Today?", "component": component or text_input(), **overrides}


def modal(**overrides: Any) -> Payload:
    return {"custom_id": "ob:form:standup", "title": "Daily standup", "components": [label()]} | (
        overrides
    )


MODAL_RULES: list[tuple[str, Payload, tuple[str, ...], str]] = [
    ("title over 45", modal(title="x" * 46), ("title",), "BASE_TYPE_BAD_LENGTH"),
    ("no title", modal(title=""), ("title",), "BASE_TYPE_BAD_LENGTH"),
    ("custom_id over 100", modal(custom_id="x" * 101), ("custom_id",), "BASE_TYPE_BAD_LENGTH"),
    ("no components", modal(components=[]), ("components",), "BASE_TYPE_BAD_LENGTH"),
    (
        "six components",
        modal(components=[label(text_input(custom_id=f"q{i}")) for i in range(6)]),
        ("components",),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "label over 45",
        modal(components=[label(label="x" * 46)]),
        ("components", "0", "label"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "label description over 100",
        modal(components=[label(description="x" * 101)]),
        ("components", "0", "description"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "placeholder over 100",
        modal(components=[label(text_input(placeholder="x" * 101))]),
        ("components", "0", "component", "placeholder"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "max_length over 4,000",
        modal(components=[label(text_input(max_length=4001))]),
        ("components", "0", "component", "max_length"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "max_length under 1",
        modal(components=[label(text_input(max_length=0))]),
        ("components", "0", "component", "max_length"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "min_length over 4,000",
        modal(components=[label(text_input(min_length=4001))]),
        ("components", "0", "component", "min_length"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "min_length under 0",
        modal(components=[label(text_input(min_length=-1))]),
        ("components", "0", "component", "min_length"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "a pre-filled value over 4,000",
        modal(components=[label(text_input(value="x" * 4001))]),
        ("components", "0", "component", "value"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "an input custom_id over 100",
        modal(components=[label(text_input(custom_id="x" * 101))]),
        ("components", "0", "component", "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "a legacy input label over 45",
        modal(components=[row(text_input(label="x" * 46))]),
        ("components", "0", "components", "0", "label"),
        "BASE_TYPE_BAD_LENGTH",
    ),
]


@pytest.mark.parametrize(
    ("rule", "data", "path", "code"), MODAL_RULES, ids=[r[0] for r in MODAL_RULES]
)
async def test_a_modal_breaking_a_rule_is_refused(
    surfaces: Surfaces, rule: str, data: Payload, path: tuple[str, ...], code: str
) -> None:
    fake = surfaces.fake
    interaction = fake.interaction(2, USERS["alice"], {"name": "standup"}, guild_id=GUILD)
    callback = f"/interactions/{interaction.id}/{interaction.token}/callback"
    status, answer = await surfaces.call("POST", callback, {"type": 9, "data": data})
    assert_invalid_form_body(status, answer, ("data", *path), code)
    status, answer = await surfaces.call("POST", callback, {"type": 9, "data": modal()})
    assert status == 200, "a refused callback does not use the interaction up"


async def test_a_modal_at_every_limit_is_accepted(surfaces: Surfaces) -> None:
    inputs = [
        label(
            text_input(
                custom_id=f"q{i}",
                min_length=4000 if i == 0 else 0,
                max_length=4000,
                value="v" * 4000,
                placeholder="p" * 100,
            ),
            label="l" * 45,
            description="d" * 100,
        )
        for i in range(5)
    ]
    data = modal(custom_id="c" * 100, title="t" * 45, components=inputs)
    interaction = surfaces.fake.interaction(2, USERS["alice"], {"name": "x"}, guild_id=GUILD)
    callback = f"/interactions/{interaction.id}/{interaction.token}/callback"
    status, answer = await surfaces.call("POST", callback, {"type": 9, "data": data})
    assert status == 200, answer


async def test_an_interaction_is_acknowledged_once(surfaces: Surfaces) -> None:
    interaction = surfaces.fake.interaction(2, USERS["alice"], {"name": "x"}, guild_id=GUILD)
    callback = f"/interactions/{interaction.id}/{interaction.token}/callback"
    assert (await surfaces.call("POST", callback, {"type": 5}))[0] == 200
    status, answer = await surfaces.call("POST", callback, {"type": 4, "data": {"content": "x"}})
    assert (status, answer) == (
        400,
        {"message": "Interaction has already been acknowledged.", "code": 40060},
    )
    status, answer = await surfaces.call("POST", "/interactions/1/nope/callback", {"type": 5})
    assert (status, answer) == (404, {"message": "Unknown interaction", "code": 10062})


async def test_an_interaction_answered_after_three_seconds_is_unknown(surfaces: Surfaces) -> None:
    fake = surfaces.fake
    fake.interaction_window = 3.0
    stale = fake.interaction(2, USERS["alice"], {"name": "x"}, created=time.time() - 3.5)
    callback = f"/interactions/{stale.id}/{stale.token}/callback"
    assert await surfaces.call("POST", callback, {"type": 5}) == (
        404,
        {"message": "Unknown interaction", "code": 10062},
    )


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
async def test_a_thread_name_must_be_1_to_100_characters(surfaces: Surfaces, name: str) -> None:
    _, parent, _ = await surfaces.channel({"content": "parent"})
    path = f"/channels/{surfaces.fake.channel_id(GUILD)}/messages/{parent['id']}/threads"
    status, answer = await surfaces.call("POST", path, {"name": name})
    assert_invalid_form_body(status, answer, ("name",), "BASE_TYPE_BAD_LENGTH")
    assert (await surfaces.call("POST", path, {"name": "x" * 100}))[0] == 200


async def test_a_thread_archives_after_a_duration_discord_offers(surfaces: Surfaces) -> None:
    _, parent, _ = await surfaces.channel({"content": "parent"})
    path = f"/channels/{surfaces.fake.channel_id(GUILD)}/messages/{parent['id']}/threads"
    status, answer = await surfaces.call("POST", path, {"name": "x", "auto_archive_duration": 90})
    assert_invalid_form_body(status, answer, ("auto_archive_duration",), "BASE_TYPE_CHOICES")
    body = {"name": "x", "auto_archive_duration": 1440}
    assert (await surfaces.call("POST", path, body))[0] == 200


async def test_a_message_has_one_thread_and_threads_need_a_guild_text_channel(
    surfaces: Surfaces,
) -> None:
    fake = surfaces.fake
    channel = fake.channel_id(GUILD)
    _, parent, _ = await surfaces.channel({"content": "parent"})
    path = f"/channels/{channel}/messages/{parent['id']}/threads"
    status, thread = await surfaces.call("POST", path, {"name": "answers"})
    assert status == 200 and thread["id"] == parent["id"] and thread["parent_id"] == channel
    assert await surfaces.call("POST", path, {"name": "again"}) == (
        400,
        {"message": "A thread has already been created for this message", "code": 160004},
    )
    unknown = f"/channels/{channel}/messages/123/threads"
    assert await surfaces.call("POST", unknown, {"name": "x"}) == (
        404,
        {"message": "Unknown Message", "code": 10008},
    )
    _, in_dm, _ = await surfaces.dm({"content": "hi"})
    dm = fake.dm_channel(USERS["alice"])
    status, answer = await surfaces.call(
        "POST", f"/channels/{dm}/messages/{in_dm['id']}/threads", {"name": "x"}
    )
    assert (status, answer["code"]) == (400, 50024)
    await surfaces.call("POST", f"/channels/{thread['id']}/messages", {"content": "in it"})
    [posted] = fake.in_thread(thread["id"])
    assert posted.json == {"content": "in it"}
    assert fake.threads[thread["id"]]["message_count"] == 1


async def test_discord_py_reads_the_refusal_as_discord_s(discord: Harness) -> None:
    """The real client turns the fake's answer into the HTTPException Discord's would give."""
    discord.fake.expect_refusals = True
    channel = discord.adapter.client.get_partial_messageable(int(discord.fake.channel_id(GUILD)))
    with pytest.raises(HTTPException) as refused:
        await channel.send(content="x" * 2001)
    assert refused.value.status == 400 and refused.value.code == 50035
    assert "In content: Must be 2000 or fewer in length." in str(refused.value)
