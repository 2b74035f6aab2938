"""FakeSlackAPI: a local Slack Web API (and Socket Mode server) the real slack_sdk talks to.

It listens on 127.0.0.1 on a free port, records every request with its parsed body, token and
headers, answers the Web API methods Offerbound calls from canned JSON files in
``tests/fixtures/slack/api/``, and can be told to answer the next call of a method with a 429 and
``Retry-After`` or with ``ok: false``. Response URLs and file uploads point back at it, and
``apps.connections.open`` hands out a WebSocket on it for Socket Mode.

It is at least as strict as Slack (the rules, each with its source, are in ``slack_rules``):
every ``blocks`` (chat.postMessage, chat.postEphemeral, chat.update, response_url posts) and every
``view`` (views.open, views.update, views.publish) is validated with Slack's own SDK models; a
message whose blocks carry more text than ``blocks_text_budget`` is refused with
``msg_blocks_too_long``, a ``text`` over 40,000 characters with ``msg_too_long``; a method is
refused with ``missing_scope`` unless the token was granted its scope, the granted bot scopes being
those of the app's manifest (``deploy/slack/manifest.yaml``, read as Slack reads it); a private
file is served only to a token with ``files:read``; a rotating token (``rotation``, see
``slack_tokens``) is refused with ``token_expired`` once expired and refreshed by oauth.v2.access
only with a live refresh token. Every refusal is also kept in ``refused``, so
a test can assert that Slack accepted everything.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.fakes import slack_rules as rules
from tests.fakes.slack_tokens import RotatingTokens

FIXTURES = Path(__file__).parents[1] / "fixtures" / "slack"
MANIFEST = Path(__file__).parents[2] / "deploy" / "slack" / "manifest.yaml"
MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update")
VIEW_METHODS = ("views.open", "views.update", "views.publish")


@dataclass
class Call:
    """One request the fake received."""

    method: str  # "chat.postMessage", "response_url", "upload" ...
    path: str
    body: dict[str, Any]
    token: str | None
    headers: dict[str, str]
    at: float = field(default_factory=time.perf_counter)  # when it arrived (benchmarks)

    def texts(self) -> list[str]:
        """Every human-readable string in the body (text, blocks, views), for assertions."""
        found: list[str] = []
        _collect(self.body, found)
        return found

    def text(self) -> str:
        return "\n".join(self.texts())


@dataclass
class Refusal:
    """A request the fake refused the way Slack would, and what it answered."""

    call: Call
    answer: dict[str, Any] | str

    @property
    def error(self) -> str:
        return self.answer if isinstance(self.answer, str) else str(self.answer.get("error"))


@dataclass
class _Failure:
    status: int = 200
    error: str | None = None
    retry_after: float | None = None


@dataclass
class FakeSlackAPI:
    """Start with ``async with FakeSlackAPI() as slack:``; put ``slack.api_url`` in settings."""

    fixtures: Path = FIXTURES
    manifest: Path = MANIFEST  # the app configuration under test: its bot scopes are granted
    bot_scopes: frozenset[str] | None = None  # None: read from ``manifest`` at start
    token_scopes: dict[str, frozenset[str]] = field(default_factory=dict)  # per-token overrides
    private_channels: set[str] = field(default_factory=set)  # C... ids that are private
    outside_channels: set[str] = field(default_factory=set)  # channels the bot was not added to
    foreign_channels: set[str] = field(default_factory=set)  # another workspace's: not found
    archived_channels: set[str] = field(default_factory=set)
    admins: set[str] = field(default_factory=lambda: {"UCOACH"})  # who installed the app
    usergroups: dict[str, set[str]] = field(default_factory=dict)  # S... id -> user ids
    blocks_text_budget: int = rules.BLOCKS_TEXT_BUDGET
    calls: list[Call] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> posts
    threads: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    hosted: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # file id -> content, token
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    rotation: RotatingTokens = field(default_factory=RotatingTokens)
    _failures: dict[str, list[_Failure]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _port: int = 0
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _acks: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    socket_connected: asyncio.Event = field(default_factory=asyncio.Event)

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> FakeSlackAPI:
        if self.bot_scopes is None:
            self.bot_scopes = rules.manifest_bot_scopes(self.manifest)
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{file_id}", self._download)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._changed = asyncio.Condition()
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeSlackAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL (``OFFERBOUND_SLACK_API_URL``)."""
        return f"{self.url}/api/"

    def response_url(self, key: str = "") -> str:
        """A response_url for a payload; posts to it are recorded as method ``response_url``."""
        return f"{self.url}/response/{key or uuid.uuid4().hex[:8]}"

    # -- scripting ----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: float | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with a failure.

        ``status=429, retry_after=0`` is a rate limit; ``error="channel_not_found"`` an
        ``ok: false`` answer (HTTP 200, as Slack does).
        """
        failure = _Failure(status, error or ("ratelimited" if status == 429 else None), retry_after)
        self._failures.setdefault(method, []).extend([failure] * times)

    def answer(self, method: str, payload: Mapping[str, Any]) -> None:
        """Answer every later call of ``method`` with ``payload`` instead of its canned file."""
        self.overrides[method] = dict(payload)

    def grant(self, token: str, scopes: Iterable[str]) -> None:
        """Give ``token`` exactly ``scopes`` (instead of the manifest's bot scopes)."""
        self.token_scopes[token] = frozenset(scopes)

    def scopes_of(self, token: str | None) -> frozenset[str]:
        """What ``token`` was granted: an app-level token carries connections:write, any other
        bot token the manifest's bot scopes, unless ``grant`` said otherwise."""
        if token is None:
            return frozenset()
        if token in self.token_scopes:
            return self.token_scopes[token]
        if token.startswith("xapp-"):
            return rules.APP_TOKEN_SCOPES
        return self.bot_scopes or frozenset()

    def host_file(self, file_id: str, content: bytes, token: str) -> str:
        """Serve ``content`` as a private file only ``token`` may download; return its URL."""
        self.hosted[file_id] = (content, token)
        return f"{self.url}/files/{file_id}"

    # -- inspection ---------------------------------------------------------------------------

    def calls_to(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if c.method in methods]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    def clear(self) -> None:
        self.calls.clear()
        self.refused.clear()

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times (for work Slack does not await)."""
        await self.wait_until(lambda: len(self.calls_to(method)) >= count, timeout)
        return self.calls_to(method)

    async def wait_until(self, ready: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``ready()`` holds, checking after every request the fake receives."""
        assert self._changed is not None
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(ready), timeout)

    # -- Socket Mode ------------------------------------------------------------------------

    async def socket_request(
        self, kind: str, payload: Mapping[str, Any], timeout: float = 5.0
    ) -> dict[str, Any]:
        """Push one envelope to the connected app; return the payload of its acknowledgement."""
        await asyncio.wait_for(self.socket_connected.wait(), timeout)
        envelope_id = uuid.uuid4().hex
        acked: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = acked
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": dict(payload),
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._sockets[-1].send_str(json.dumps(envelope))
        return await asyncio.wait_for(acked, timeout)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self.socket_connected.set()
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                data = json.loads(message.data)
                future = self._acks.pop(str(data.get("envelope_id")), None)
                if future is not None and not future.done():
                    future.set_result(data.get("payload") or {})
        self._sockets.remove(ws)
        return ws

    # -- HTTP handlers ------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await _parsed_body(request)
        await self._record(method, request, body)
        failures = self._failures.get(method)
        if failures:
            failure = failures.pop(0)
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(int(failure.retry_after))
            return web.json_response(
                {"ok": False, "error": failure.error or "fatal_error"},
                status=failure.status,
                headers=headers,
            )
        call = self.calls[-1]
        if method == "oauth.v2.access" and body.get("grant_type") == rules.REFRESH_GRANT:
            answer = self.rotation.refresh(body, call.headers)
            await asyncio.sleep(self.rotation.delay)  # a slow answer lets refreshes overlap
            if not answer["ok"]:
                self.refused.append(Refusal(call, answer))
            return web.json_response(answer)
        refusal = self._refusal(method, body, call.token)
        if refusal is not None:
            self.refused.append(Refusal(call, refusal))
            return web.json_response(refusal)  # Slack answers refusals with HTTP 200
        return web.json_response(self._answer(method, body))

    def _refusal(
        self, method: str, body: Mapping[str, Any], token: str | None
    ) -> dict[str, Any] | None:
        """Slack's answer when it refuses this request, else None (auth, scope, then payload)."""
        if method not in rules.METHOD_SCOPES:  # no documented method the fake knows of
            return {"ok": False, "error": "unknown_method"}
        if self.rotation.expired(token):
            return dict(rules.EXPIRED_TOKEN)
        granted = self.scopes_of(token)
        needed = rules.needed_scopes(
            method, body, private=self.private_channels, outside=self.outside_channels
        )
        if needed and token is None:
            return {"ok": False, "error": "not_authed"}
        for scope in needed:
            if scope not in granted:
                return rules.missing_scope(scope, granted)
        channel = str(body.get("channel") or "")
        if channel in self.foreign_channels and (
            method in MESSAGE_METHODS or "conversations." in method
        ):
            # A token reaches only its own workspace's conversations (Slack Connect aside).
            return {"ok": False, "error": "channel_not_found"}
        if method == "usergroups.users.list" and str(body.get("usergroup")) not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        if channel in self.outside_channels:
            if method == "conversations.history":
                return {"ok": False, "error": "not_in_channel"}
            if method == "conversations.info" and channel in self.private_channels:
                return {"ok": False, "error": "channel_not_found"}  # private, bot not in it
            if method in MESSAGE_METHODS and channel in self.private_channels:
                return {"ok": False, "error": "channel_not_found"}
        if method in MESSAGE_METHODS:
            return self._message_refusal(body)
        if method in VIEW_METHODS:
            errors = rules.view_errors(body.get("view"))
            return rules.invalid_view(errors) if errors else None
        return None

    def _message_refusal(self, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """What Slack answers to a message's ``text`` and ``blocks`` (None: accepted)."""
        text = body.get("text")
        blocks = body.get("blocks")
        if isinstance(blocks, str):  # a form field that did not hold JSON
            return {"ok": False, "error": "invalid_blocks_format"}
        if not text and not blocks:
            return {"ok": False, "error": "no_text"}
        if isinstance(text, str) and len(text) > rules.TEXT_CHARS:
            return {"ok": False, "error": "msg_too_long"}
        if blocks is not None:
            errors = rules.block_errors(blocks, pointer="/blocks", max_blocks=rules.MESSAGE_BLOCKS)
            if errors:
                return rules.invalid_blocks(errors)
            if rules.blocks_text_length(blocks) > self.blocks_text_budget:
                return {"ok": False, "error": "msg_blocks_too_long"}
        return None

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await _parsed_body(request)
        await self._record("response_url", request, body)
        refusal = self._message_refusal(body)
        if refusal is not None:
            # A response_url answers like an incoming webhook: HTTP 400 with the error as plain
            # text (https://github.com/sourcegraph/sourcegraph-public-snapshot/issues/49979,
            # https://github.com/slackapi/java-slack-sdk/issues/1017).
            error = str(refusal["error"])
            self.refused.append(Refusal(self.calls[-1], error))
            return web.Response(status=400, text=error)
        return web.Response(text="ok")

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        await self._record("download", request, {"file_id": file_id})
        content, owner = self.hosted.get(file_id, (b"", ""))
        token = self.calls[-1].token
        if not owner or token != owner or rules.DOWNLOAD_SCOPE not in self.scopes_of(token):
            # Slack serves its sign-in page, not the file (slack_rules.DOWNLOAD_SCOPE).
            self.refused.append(Refusal(self.calls[-1], "sign_in_page"))
            return web.Response(text=rules.SIGN_IN_PAGE, content_type="text/html")
        return web.Response(body=content, content_type="text/csv")

    async def _upload(self, request: web.Request) -> web.Response:
        content = await request.read()
        body = {"file_id": request.match_info["file_id"], "size": len(content)}
        await self._record("upload", request, body)
        return web.Response(text=f"OK - {len(content)}")

    async def _record(self, method: str, request: web.Request, body: dict[str, Any]) -> None:
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        token = token or body.get("token")
        headers = {k: v for k, v in request.headers.items()}
        self.calls.append(Call(method, request.path, body, token, headers))
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    def _answer(self, method: str, body: Mapping[str, Any]) -> dict[str, Any]:
        if method in self.overrides:
            return dict(self.overrides[method])
        canned = self.fixtures / "api" / f"{method}.json"
        if not canned.exists():
            return {"ok": False, "error": "unknown_method", "method": method}
        answer: dict[str, Any] = json.loads(canned.read_text(encoding="utf-8"))
        ts = f"1763478000.{next(self._ts):06d}"
        match method:
            case "chat.postMessage" | "chat.postEphemeral":
                answer.update(channel=body.get("channel"), ts=ts, message_ts=ts)
                if method == "chat.postMessage":
                    message = {
                        "type": "message",
                        "ts": ts,
                        "text": body.get("text", ""),
                        **({"metadata": body["metadata"]} if body.get("metadata") else {}),
                    }
                    channel = str(body.get("channel"))
                    parent = str(body.get("thread_ts") or "")
                    if parent:  # a thread reply: not in the channel's history, under its parent
                        message["thread_ts"] = parent
                        self.threads.setdefault((channel, parent), []).append(message)
                    else:
                        self.history.setdefault(channel, []).append(message)
            case "conversations.history":
                posted = self.history.get(str(body.get("channel")), [])
                limit = int(body.get("limit") or 100)
                answer.update(messages=list(reversed(posted))[:limit], has_more=False)
            case "conversations.open":
                answer["channel"]["id"] = "D" + str(body.get("users", "")).lstrip("UW")
            case "users.info":
                user = str(body.get("user", ""))
                answer["user"].update(id=user, name=_name_of(user), is_admin=user in self.admins)
            case "conversations.info":
                channel = str(body.get("channel", ""))
                private = channel.startswith("G") or channel in self.private_channels
                answer["channel"].update(
                    id=channel,
                    name=channel.lower(),
                    is_im=channel.startswith("D"),
                    is_channel=not private and not channel.startswith("D"),
                    is_group=private,
                    is_private=private,
                    is_archived=channel in self.archived_channels,
                    is_member=channel not in self.outside_channels,
                )
            case "usergroups.users.list":
                answer["users"] = sorted(self.usergroups[str(body.get("usergroup"))])
            case "files.getUploadURLExternal":
                file_id = f"F{next(self._ts):05d}"
                answer.update(file_id=file_id, upload_url=f"{self.url}/upload/{file_id}")
            case "apps.connections.open":
                answer["url"] = f"ws://127.0.0.1:{self._port}/socket"
        return answer


def _name_of(user_id: str) -> str:
    """Fake users are called after their id: ``UALICE`` is alice."""
    return user_id[1:].lower() if user_id[:1] in "UW" else user_id


async def _parsed_body(request: web.Request) -> dict[str, Any]:
    """JSON or form bodies as a dict; form values holding JSON (blocks, views) are decoded."""
    raw = await request.text()
    if not raw:
        return dict(request.query)
    if request.content_type == "application/json":
        data = json.loads(raw)
        return data if isinstance(data, dict) else {"_": data}
    body: dict[str, Any] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        if value[:1] in "[{":
            try:
                body[key] = json.loads(value)
                continue
            except ValueError:
                pass
        body[key] = value
    return body


_NOT_TEXT = {
    "action_id", "block_id", "callback_id", "channel", "response_type", "style", "trigger_id",
    "type", "user", "user_id",
}  # fmt: skip


def _collect(value: Any, found: list[str]) -> None:
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                _collect(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found)
