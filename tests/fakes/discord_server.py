"""A local Discord for tests: the real discord.py talks to it over a real socket.

REST lives under ``/api/v10`` and the gateway is a websocket speaking plain-text JSON frames
(HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeat ACKs, RESUME). Tests inject interactions and
messages, then wait for what the bot sent back: every request is recorded with its parsed body.
Canned payloads live in tests/fixtures/discord/.

It is as strict as Discord: every message (channel and DM posts, interaction callbacks, follow-ups,
edits, posts in threads), modal and new thread goes through ``discord_rules`` and what Discord
refuses is answered with Discord's 400 (``refusals()`` lists them; the Discord tests' fixture
fails a test that caused one it did not expect). An interaction is acknowledged once (40060),
a message has at most one thread (160004), and ids are snowflakes of the current time, so the bot
can read an interaction's age from its id as it does from Discord's.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes import discord_rules as rules

FIXTURES = Path(__file__).parents[1] / "fixtures" / "discord"
API = "/api/v10"

# Gateway opcodes.
DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0,
    1,
    2,
    6,
    7,
    9,
    10,
    11,
)
# Interaction types.
APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
# reference.mdx#snowflakes: "Milliseconds since Discord Epoch, the first second of 2015 or
# 1420070400000", in bits 63 to 22 of an id.
DISCORD_EPOCH_MS = 1_420_070_400_000
# Channel types (resources/channel.mdx#channel-object-channel-types).
GUILD_TEXT, GUILD_ANNOUNCEMENT, PUBLIC_THREAD = 0, 5, 11


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _error(status: int, code: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"message": message, "code": code}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py only parses bodies whose Content-Type is exactly application/json.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class Recorded:
    """One request the bot made, with its JSON body (or a multipart's payload_json) parsed."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    files: list[tuple[str, bytes]] = field(default_factory=list)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    response: Any = None  # what the fake answered (Discord's error body for a refusal)

    @property
    def json(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}


@dataclass
class FakeInteraction:
    """An interaction the fake sent; its id and token find the bot's answers."""

    id: str
    token: str
    payload: dict[str, Any]


@dataclass
class Session:
    """A gateway session: its event log survives a dropped socket so RESUME can replay it."""

    session_id: str
    shard: tuple[int, int]
    seq: int = 0
    log: list[dict[str, Any]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None


class FakeDiscord:
    """Discord's REST API and gateway on 127.0.0.1 with a free port."""

    def __init__(self) -> None:
        self.bot_user = fixture("bot_user")
        self.application = fixture("application")
        self.app_id = self.application["id"]
        self.requests: list[Recorded] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.sessions: dict[str, Session] = {}
        self.guilds: dict[str, dict[str, Any]] = {}
        self.members: dict[str, set[str]] = {}  # guild id -> user ids
        self.roles_of: dict[tuple[str, str], list[str]] = {}  # (guild, user) -> role ids
        self.users: dict[str, dict[str, Any]] = {}
        self.dm_channels: dict[str, str] = {}
        self.closed_dms: set[str] = set()  # users who do not accept DMs from the bot
        self.nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self.attachments: dict[str, bytes] = {}  # CDN: attachment id -> content
        self.nonce_repeats = 0
        self.interactions: dict[str, FakeInteraction] = {}
        self.acknowledged: set[str] = set()
        self.messages: dict[str, dict[str, Any]] = {}  # message id -> message, every channel
        self.threads: dict[str, dict[str, Any]] = {}  # thread id (= its parent message's id)
        self.expect_refusals = False  # set by tests that send what Discord refuses on purpose
        self._forbidden: list[Callable[[str], bool]] = []  # paths the bot lacks a permission for
        # interactions/receiving-and-responding.mdx: "you must send an initial response within
        # 3 seconds ... If the 3 second deadline is exceeded, the token will be invalidated."
        # Counted from the id's timestamp; off unless a test sets it (wall-clock time under load
        # is not something a test should depend on; tests that use it freeze the clock).
        self.interaction_window: float | None = None
        self._rate_limits: list[tuple[str, re.Pattern[str], float]] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{file_id}/{name}", self._attachment)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        for session in self.sessions.values():
            if session.ws is not None and not session.ws.closed:
                await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- the world -----------------------------------------------------------------------------

    def snowflake(self, at: float | None = None) -> str:
        """A fresh id whose timestamp is now (or ``at``, a Unix time), as Discord's ids are."""
        ms = int((time.time() if at is None else at) * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._ids) & 0x3FFFFF))

    def add_user(self, user_id: str, name: str) -> dict[str, Any]:
        user = {
            "id": user_id,
            "username": name,
            "discriminator": "0",
            "global_name": name,
            "avatar": None,
            "public_flags": 0,
        }
        self.users[user_id] = user
        return user

    def add_guild(
        self, guild_id: str, name: str, members: list[str], *, admins: Iterable[str] = ()
    ) -> dict[str, Any]:
        """A server with one text channel, these members, and an "Admins" role (Administrator)
        held by ``admins``. Add guilds before the bot connects: their GUILD_CREATE is sent then."""
        guild = fixture("guild_create")
        guild = json.loads(json.dumps(guild).replace("GUILD_ID", guild_id))
        guild["name"] = name
        guild["channels"] = []
        guild["members"] = [self.member(self.bot_user["id"], bot=True)]
        self.members[guild_id] = {*members, self.bot_user["id"]}
        self.guilds[guild_id] = guild
        self.add_channel(guild_id, "cohort")
        admin_role = self.add_role(guild_id, "Admins", permissions=rules.ADMINISTRATOR)
        for user_id in admins:
            self.give_role(guild_id, user_id, admin_role)
        return guild

    def add_channel(
        self, guild_id: str, name: str, *, kind: int = 0, deny_everyone: int = 0
    ) -> str:
        """Another channel of ``guild_id`` (``kind`` 0 text, 2 voice); ``deny_everyone`` takes
        permissions (bits) from @everyone there, e.g. SEND_MESSAGES. Returns its id."""
        channel = json.loads(
            json.dumps(fixture("text_channel"))
            .replace("GUILD_ID", guild_id)
            .replace("CHANNEL_ID", self.snowflake())
        )
        channel.update(name=name, type=kind)
        if kind == 2:  # a voice channel's own fields (resources/channel.mdx, channel object)
            channel.update(bitrate=64000, user_limit=0, rtc_region=None)
        if deny_everyone:
            channel["permission_overwrites"] = [
                {"id": guild_id, "type": 0, "allow": "0", "deny": str(deny_everyone)}
            ]
        self.guilds[guild_id]["channels"].append(channel)
        return str(channel["id"])

    def add_role(self, guild_id: str, name: str, *, permissions: int = 0) -> str:
        role = dict(self.guilds[guild_id]["roles"][0])  # @everyone's shape
        role.update(id=self.snowflake(), name=name, permissions=str(permissions), position=1)
        self.guilds[guild_id]["roles"].append(role)
        return str(role["id"])

    async def new_channel(self, guild_id: str, name: str, **options: Any) -> str:
        """``add_channel`` while the bot is connected: Discord then sends CHANNEL_CREATE
        (GUILDS intent; topics/gateway-events.mdx)."""
        channel_id = self.add_channel(guild_id, name, **options)
        await self.dispatch(
            "CHANNEL_CREATE", self.find_channel(channel_id) or {}, guild_id=guild_id
        )
        return channel_id

    async def new_role(self, guild_id: str, name: str, *, permissions: int = 0) -> str:
        """``add_role`` while the bot is connected: Discord then sends GUILD_ROLE_CREATE
        (GUILDS intent; topics/gateway-events.mdx)."""
        role_id = self.add_role(guild_id, name, permissions=permissions)
        [role] = [r for r in self.guilds[guild_id]["roles"] if r["id"] == role_id]
        await self.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": guild_id, "role": role}, guild_id=guild_id
        )
        return role_id

    def give_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        self.roles_of.setdefault((guild_id, user_id), []).append(role_id)

    def channel_id(self, guild_id: str) -> str:
        return self.guilds[guild_id]["channels"][0]["id"]

    def find_channel(self, channel_id: str) -> dict[str, Any] | None:
        """The channel (of any guild, a DM or a thread) with this id, as GET /channels gives it."""
        for guild in self.guilds.values():
            for channel in guild["channels"]:
                if channel["id"] == channel_id:
                    return dict(channel)
        for user_id, dm in self.dm_channels.items():
            if dm == channel_id:
                return {"id": dm, "type": 1, "recipients": [self.users.get(user_id)]}
        if channel_id in self.threads:
            return dict(self.threads[channel_id])
        return None

    def member(
        self, user_id: str, *, bot: bool = False, guild_id: str | None = None
    ) -> dict[str, Any]:
        member = fixture("member")
        member["user"] = self.bot_user if bot else self.users[user_id]
        if guild_id is not None:
            member["roles"] = list(self.roles_of.get((guild_id, user_id), []))
        return member

    def permissions(self, guild_id: str, user_id: str) -> int:
        """The member's permissions in the guild (@everyone's and their roles' together;
        topics/permissions.mdx), as an interaction's ``member.permissions`` carries them."""
        roles = {r["id"]: int(r["permissions"]) for r in self.guilds[guild_id]["roles"]}
        total = roles.get(guild_id, 0)
        for role_id in self.roles_of.get((guild_id, user_id), []):
            total |= roles.get(role_id, 0)
        return total

    def _is_member(self, guild_id: str, user_id: str) -> bool:
        return user_id in self.members.get(guild_id, set())

    # -- injecting events ----------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any], *, guild_id: str | None = None):
        """Send a DISPATCH to the session owning ``guild_id`` (shard 0 for DMs)."""
        for session in self.sessions.values():
            shard_id, count = session.shard
            owner = (int(guild_id) >> 22) % count if guild_id else 0
            if owner == shard_id:
                await self._send_event(session, event, data)

    async def _send_event(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.log.append(frame)
        if session.ws is not None and not session.ws.closed:
            await session.ws.send_str(json.dumps(frame))

    def interaction(
        self,
        kind: int,
        user_id: str,
        data: dict[str, Any],
        *,
        guild_id: str | None = None,
        channel_id: str | None = None,
        message: dict[str, Any] | None = None,
        created: float | None = None,
    ) -> FakeInteraction:
        """An interaction as Discord sends it; ``created`` (Unix time) dates its id."""
        payload = fixture("interaction")
        interaction_id, token = self.snowflake(created), f"token-{uuid.uuid4().hex}"
        payload.update(id=interaction_id, token=token, type=kind, data=data)
        if guild_id is not None:
            channel_id = channel_id or self.channel_id(guild_id)
            channel = next(c for c in self.guilds[guild_id]["channels"] if c["id"] == channel_id)
            payload.update(
                guild_id=guild_id,
                guild={"id": guild_id, "locale": "en-US", "features": []},
                member={
                    **self.member(user_id, guild_id=guild_id),
                    "permissions": str(self.permissions(guild_id, user_id)),
                },
                channel=channel,
                channel_id=channel_id,
                authorizing_integration_owners={"0": guild_id},
                context=0,
            )
            if kind in (APPLICATION_COMMAND, AUTOCOMPLETE):
                data.setdefault("guild_id", guild_id)
        else:
            channel_id = channel_id or self.dm_channel(user_id)
            payload.update(
                user=self.users[user_id],
                channel={"id": channel_id, "type": 1, "recipients": [self.users[user_id]]},
                channel_id=channel_id,
                authorizing_integration_owners={"0": user_id},
                context=1,
            )
        if message is not None:
            payload["message"] = message
        interaction = FakeInteraction(interaction_id, token, payload)
        self.interactions[interaction_id] = interaction
        return interaction

    async def send_interaction(self, interaction: FakeInteraction) -> FakeInteraction:
        await self.dispatch(
            "INTERACTION_CREATE", interaction.payload, guild_id=interaction.payload.get("guild_id")
        )
        return interaction

    async def slash(
        self,
        user_id: str,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        guild_id: str | None = None,
        focused: bool = False,
    ) -> FakeInteraction:
        """A slash command (or, with ``focused``, an autocomplete request) as Discord sends it."""
        data = {
            "id": self.snowflake(),
            "name": name,
            "type": 1,
            "options": options or [],
        }
        kind = AUTOCOMPLETE if focused else APPLICATION_COMMAND
        return await self.send_interaction(self.interaction(kind, user_id, data, guild_id=guild_id))

    async def click(
        self, user_id: str, custom_id: str, *, guild_id: str | None = None, message_id: str = ""
    ) -> FakeInteraction:
        message = fixture("message")
        message.update(id=message_id or self.snowflake(), author=self.bot_user)
        data = {"custom_id": custom_id, "component_type": 2}
        interaction = self.interaction(COMPONENT, user_id, data, guild_id=guild_id)
        message["channel_id"] = interaction.payload["channel_id"]
        interaction.payload["message"] = message
        return await self.send_interaction(interaction)

    async def submit(
        self, user_id: str, custom_id: str, answers: dict[str, str], *, guild_id: str | None = None
    ) -> FakeInteraction:
        """A modal submission, with each answer in a Label as current Discord sends them."""
        components = [
            {
                "type": 18,
                "id": i + 1,
                "component": {"type": 4, "id": i + 100, "custom_id": key, "value": value},
            }
            for i, (key, value) in enumerate(answers.items())
        ]
        data = {"custom_id": custom_id, "components": components}
        interaction = self.interaction(MODAL_SUBMIT, user_id, data, guild_id=guild_id)
        return await self.send_interaction(interaction)

    def dm_channel(self, user_id: str) -> str:
        if user_id not in self.dm_channels:
            self.dm_channels[user_id] = self.snowflake()
        return self.dm_channels[user_id]

    async def direct_message(
        self, user_id: str, content: str, files: dict[str, bytes] | None = None
    ) -> dict[str, Any]:
        """A user typing ``content`` in their DM with the bot, optionally attaching ``files``."""
        message = fixture("message")
        attachments = []
        for name, data in (files or {}).items():
            file_id = self.snowflake()
            self.attachments[file_id] = data
            url = f"http://127.0.0.1:{self.port}/attachments/{file_id}/{name}"
            attachments.append(
                {"id": file_id, "filename": name, "size": len(data), "url": url, "proxy_url": url}
            )
        message.update(
            id=self.snowflake(),
            channel_id=self.dm_channel(user_id),
            author=self.users[user_id],
            content=content,
            attachments=attachments,
        )
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def _attachment(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        await self._record(Recorded("GET", request.path, {}, {}))
        if file_id not in self.attachments:
            return web.Response(status=404)
        return web.Response(body=self.attachments[file_id], content_type="text/csv")

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every gateway socket, as on a network hiccup; the sessions stay resumable."""
        for session in self.sessions.values():
            if session.ws is not None:
                ws, session.ws = session.ws, None
                await ws.close(code=code, message=b"fake dropped the connection")

    def forbid(self, path: str | Callable[[str], bool]) -> None:
        """Answer requests whose path (after ``/api/v10``) matches ``path`` (a regex, or a
        predicate) as Discord does when the bot lacks a permission: 403 ``{"message": "Missing
        Permissions", "code": 50013}``."""
        self._forbidden.append(path if callable(path) else re.compile(path).search)

    def in_a_thread(self, path: str) -> bool:
        """Whether ``path`` posts in one of the threads (for ``forbid``: no Send Messages in
        Threads)."""
        return any(path == f"/channels/{thread}/messages" for thread in self.threads)

    def rate_limit_next(self, method: str, path: str, retry_after: float = 0.05) -> None:
        """Answer the next ``method`` request whose path matches ``path`` (regex) with a 429."""
        self._rate_limits.append((method, re.compile(path), retry_after))

    # -- waiting for the bot -------------------------------------------------------------------

    async def wait_for(
        self, predicate: Callable[[Recorded], bool], *, count: int = 1, timeout: float = 5.0
    ) -> list[Recorded]:
        """The first ``count`` recorded requests matching ``predicate``, waiting if needed."""

        def matching() -> list[Recorded]:
            return [r for r in self.requests if predicate(r)]

        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(matching()) >= count), timeout
            )
            return matching()[:count]

    async def response(self, interaction: FakeInteraction, timeout: float = 5.0) -> Recorded:
        """The bot's interaction callback (its first answer)."""
        path = f"{API}/interactions/{interaction.id}/{interaction.token}/callback"
        return (await self.wait_for(lambda r: r.path == path, timeout=timeout))[0]

    def followups(self, interaction: FakeInteraction) -> list[Recorded]:
        """Follow-up messages and edits of the original response, in order."""
        prefix = f"{API}/webhooks/{self.app_id}/{interaction.token}"
        return [r for r in self.requests if r.path.startswith(prefix)]

    def sent(self, method: str, pattern: str) -> list[Recorded]:
        regex = re.compile(pattern)
        return [r for r in self.requests if r.method == method and regex.fullmatch(r.path)]

    async def _record(self, recorded: Recorded) -> None:
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()

    # -- REST ----------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        body, files = await _read_body(request)
        recorded = Recorded(
            request.method,
            request.path,
            dict(request.query),
            body,
            files,
            200,
            dict(request.headers),
        )
        for i, (method, pattern, retry_after) in enumerate(self._rate_limits):
            if method == request.method and pattern.search(request.path):
                del self._rate_limits[i]
                recorded.status = 429
                await self._record(recorded)
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": retry_after,
                        "global": False,
                    },
                    status=429,
                    headers={
                        "Via": "1.1 google",
                        "Retry-After": str(max(1, round(retry_after))),
                        "X-RateLimit-Scope": "user",
                    },
                )
        path = request.path[len(API) :]
        if any(forbidden(path) for forbidden in self._forbidden):
            status, answer = _error(403, 50013, "Missing Permissions")
        else:
            status, answer = self._answer(request.method, path, body, request, len(files))
        recorded.status, recorded.response = status, answer
        await self._record(recorded)
        return _json(answer, status=status)

    def refusals(self) -> list[Recorded]:
        """Every request the fake refused as Discord would (HTTP 400)."""
        return [r for r in self.requests if r.status == 400]

    def _answer(
        self, method: str, path: str, body: Any, request: web.Request, files: int
    ) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        match method, parts:
            case "GET", ["users", "@me"]:
                return 200, self.bot_user
            case "GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]:
                return 200, self.application
            case "GET", ["gateway", "bot"]:
                limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
                return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
            case "GET", ["gateway"]:
                return 200, {"url": self.gateway_url}
            case "POST", ["interactions", interaction_id, _token, "callback"]:
                return self._callback(interaction_id, body, files)
            case "POST", ["webhooks", _app, _token]:
                return self._create(request.query.get("channel", "0"), body, files)
            case "PATCH", ["webhooks", _app, _token, "messages", _message_id]:
                return self._edit("0", body)
            case "POST", ["channels", channel_id, "messages"]:
                if channel_id not in self.threads:
                    status, found = self._get_channel(channel_id)
                    if status != 200:
                        return status, found
                if any(self.dm_channels.get(u) == channel_id for u in self.closed_dms):
                    return _error(403, 50007, "Cannot send messages to this user")
                nonce = (body or {}).get("nonce") if (body or {}).get("enforce_nonce") else None
                if nonce and (channel_id, str(nonce)) in self.nonces:
                    # Discord answers a repeated enforced nonce with the original message.
                    self.nonce_repeats += 1
                    return 200, self.nonces[(channel_id, str(nonce))]
                status, message = self._create(channel_id, body, files)
                if nonce and status == 200:
                    self.nonces[(channel_id, str(nonce))] = message
                return status, message
            case "PATCH", ["channels", channel_id, "messages", message_id]:
                if self.messages.get(message_id, {}).get("channel_id") != channel_id:
                    return _error(404, rules.UNKNOWN_MESSAGE, "Unknown Message")
                return self._edit(channel_id, body, message_id)
            case "POST", ["channels", channel_id, "messages", message_id, "threads"]:
                return self._start_thread(channel_id, message_id, body)
            case "POST", ["users", "@me", "channels"]:
                user_id = str(body["recipient_id"])
                channel = {
                    "id": self.dm_channel(user_id),
                    "type": 1,
                    "last_message_id": None,
                    "recipients": [self.users.get(user_id) or self.add_user(user_id, "someone")],
                }
                return 200, channel
            case "GET", ["channels", channel_id]:
                return self._get_channel(channel_id)
            case "GET", ["guilds", guild_id, "members", user_id]:
                if self._is_member(guild_id, user_id):
                    return 200, self.member(user_id, guild_id=guild_id)
                return _error(404, 10007, "Unknown Member")
            case "GET", ["users", user_id] if user_id in self.users:
                return 200, self.users[user_id]
            case "PUT", ["applications", _app, "commands"]:
                return 200, self._commands(body, None)
            case "PUT", ["applications", _app, "guilds", guild_id, "commands"]:
                return 200, self._commands(body, guild_id)
        return _error(404, 0, f"404: fake has no {method} {path}")

    def _callback(self, interaction_id: str, body: dict[str, Any], files: int) -> tuple[int, Any]:
        """interactions/receiving-and-responding.mdx: one initial response per interaction."""
        if interaction_id not in self.interactions:
            return _error(404, rules.UNKNOWN_INTERACTION, "Unknown interaction")
        age = time.time() - ((int(interaction_id) >> 22) + DISCORD_EPOCH_MS) / 1000
        if self.interaction_window is not None and age > self.interaction_window:
            return _error(404, rules.UNKNOWN_INTERACTION, "Unknown interaction")
        if interaction_id in self.acknowledged:
            return _error(
                400, rules.ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged."
            )
        errors = rules.callback_errors(body)
        if errors:
            return 400, errors.body()
        kind = body["type"]
        data = body.get("data") or {}
        if kind == rules.CHANNEL_MESSAGE and rules.is_empty_message(data, files):
            return _error(400, rules.EMPTY_MESSAGE, "Cannot send an empty message")
        self.acknowledged.add(interaction_id)
        ephemeral = bool(data.get("flags", 0) & 64)
        interaction = {
            "id": interaction_id,
            "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": ephemeral,
        }
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5):
            message = self._message("0", data)
            interaction["response_message_id"] = message["id"]
            resource["message"] = message
        return 200, {"interaction": interaction, "resource": resource}

    def _get_channel(self, channel_id: str) -> tuple[int, Any]:
        """resources/channel.mdx#get-channel; an id nobody has is 10003 Unknown Channel
        (topics/opcodes-and-status-codes.mdx), a channel of a guild the bot is not in is 50001
        Missing Access."""
        channel = self.find_channel(channel_id)
        if channel is None:
            return _error(404, rules.UNKNOWN_CHANNEL, "Unknown Channel")
        guild_id = channel.get("guild_id")
        if guild_id and not self._is_member(str(guild_id), self.bot_user["id"]):
            return _error(403, rules.MISSING_ACCESS, "Missing Access")
        return 200, channel

    def _create(self, channel_id: str, body: dict[str, Any] | None, files: int) -> tuple[int, Any]:
        """A new message (channel, DM, thread or follow-up), if Discord would take it."""
        errors = rules.message_errors(body)
        if errors:
            return 400, errors.body()
        if rules.is_empty_message(body, files):
            return _error(400, rules.EMPTY_MESSAGE, "Cannot send an empty message")
        return 200, self._message(channel_id, body)

    def _edit(
        self, channel_id: str, body: dict[str, Any] | None, message_id: str | None = None
    ) -> tuple[int, Any]:
        """An edit: the same limits as a new message (every field is optional)."""
        errors = rules.message_errors(body)
        if errors:
            return 400, errors.body()
        message = self._message(channel_id, body)
        if message_id is not None:
            message["id"] = message_id
            self.messages[message_id] = message
        return 200, message

    def _start_thread(
        self, channel_id: str, message_id: str, body: dict[str, Any] | None
    ) -> tuple[int, Any]:
        """resources/channel.mdx#start-thread-from-message: a public thread whose id is the
        message's; only in a guild text or announcement channel, once per message."""
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            return _error(404, rules.UNKNOWN_MESSAGE, "Unknown Message")
        parent = self._guild_channel(channel_id)
        if parent is None or parent["type"] not in (GUILD_TEXT, GUILD_ANNOUNCEMENT):
            return _error(
                400, rules.WRONG_CHANNEL_TYPE, "Cannot execute action on this channel type"
            )
        if message_id in self.threads:
            return _error(
                400, rules.THREAD_EXISTS, "A thread has already been created for this message"
            )
        errors = rules.thread_errors(body)
        if errors:
            return 400, errors.body()
        body = body or {}
        duration = body.get("auto_archive_duration") or 4320
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())
        thread = {
            "id": message_id,
            "type": PUBLIC_THREAD,
            "guild_id": parent["guild_id"],
            "parent_id": channel_id,
            "owner_id": self.bot_user["id"],
            "name": body["name"],
            "last_message_id": None,
            "rate_limit_per_user": body.get("rate_limit_per_user") or 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": duration,
                "archive_timestamp": now,
                "locked": False,
                "create_timestamp": now,
            },
            "member": {
                "id": message_id,
                "user_id": self.bot_user["id"],
                "join_timestamp": now,
                "flags": 1,
            },
        }
        self.threads[message_id] = thread
        return 200, thread

    def _guild_channel(self, channel_id: str) -> dict[str, Any] | None:
        for guild in self.guilds.values():
            for channel in guild["channels"]:
                if channel["id"] == channel_id:
                    return channel
        return None

    def in_thread(self, thread_id: str) -> list[Recorded]:
        """Messages the bot posted in a thread, in order (accepted ones only)."""
        path = f"{API}/channels/{thread_id}/messages"
        return [
            r for r in self.requests if r.method == "POST" and r.path == path and r.status == 200
        ]

    def _message(self, channel_id: str, body: dict[str, Any] | None) -> dict[str, Any]:
        body = body or {}
        message = fixture("message")
        message.update(
            id=self.snowflake(),
            channel_id=channel_id,
            author=self.bot_user,
            content=body.get("content") or "",
            embeds=body.get("embeds") or [],
            flags=body.get("flags") or 0,
        )
        if channel_id in self.threads:
            message["position"] = self.threads[channel_id]["total_message_sent"]
            self.threads[channel_id]["message_count"] += 1
            self.threads[channel_id]["total_message_sent"] += 1
        self.messages[message["id"]] = message
        return message

    def _commands(self, body: list[dict[str, Any]], guild_id: str | None) -> list[dict[str, Any]]:
        result = []
        for command in body:
            entry = copy.deepcopy(command)
            entry.update(id=self.snowflake(), application_id=self.app_id, version="1")
            if guild_id:
                entry["guild_id"] = guild_id
            result.append(entry)
        return result

    # -- the gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": HELLO, "d": {"heartbeat_interval": 41250}}))
        session: Session | None = None
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            op, data = frame.get("op"), frame.get("d")
            if op == HEARTBEAT:
                await ws.send_str(json.dumps({"op": HEARTBEAT_ACK}))
            elif op == IDENTIFY:
                self.identifies.append(data)
                session = await self._identify(ws, data)
            elif op == RESUME:
                self.resumes.append(data)
                session = await self._resume(ws, data)
        if session is not None and session.ws is ws:
            session.ws = None
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session:
        shard = tuple(data.get("shard") or (0, 1))
        session = Session(uuid.uuid4().hex, (shard[0], shard[1]), ws=ws)
        self.sessions[session.session_id] = session
        mine = [g for g in self.guilds if (int(g) >> 22) % shard[1] == shard[0]]
        ready = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": g, "unavailable": True} for g in mine],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.app_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "shard": list(shard),
        }
        await self._send_event(session, "READY", ready)
        for guild_id in mine:
            await self._send_event(session, "GUILD_CREATE", self.guilds[guild_id])
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None:
            await ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False}))
            return None
        session.ws = ws
        for frame in session.log:
            if frame["s"] > data.get("seq", 0):
                await ws.send_str(json.dumps(frame))
        await self._send_event(session, "RESUMED", {})
        return session


async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    if not request.can_read_body:
        return None, []
    if request.content_type.startswith("multipart/"):
        body: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":
                body = json.loads(await part.text())
            else:
                files.append((part.filename or "", bytes(await part.read())))
        return body, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []
