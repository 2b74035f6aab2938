"""SlackHarness: signs Slack's requests, posts them to the served app and waits for its replies.

Tests read like a person using Slack: ``await slack.command("apply Stripe Dev", user="alice")``,
then assert on what reached the FakeSlackAPI.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from adapters.slack.adapter import SlackAdapter
from bot.invocation import Invocation
from bot.platform import Capabilities
from tests.fakes.slack_api import Call, FakeSlackAPI

REQUESTS = Path(__file__).parents[1] / "fixtures" / "slack" / "requests"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
TEAM = "T0COHORT"
CHANNEL = "C0COHORT"
BACKDOOR = Capabilities(throttled=False)
REPLY_METHODS = ("response_url", "chat.postMessage", "chat.postEphemeral", "views.open")


def user_id(name: str) -> str:
    """Test users are called by name; their Slack id is ``U`` + the name upper-cased."""
    return "U" + name.upper()


def payload(name: str) -> dict[str, Any]:
    """A canned inbound payload from tests/fixtures/slack/requests/."""
    return json.loads((REQUESTS / f"{name}.json").read_text(encoding="utf-8"))


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


async def signed_slash(
    http: aiohttp.ClientSession, base: str, fake: FakeSlackAPI, text: str, **fields: str
) -> int:
    """POST the slash command ``/ob text`` (``fields`` override the canned payload's, e.g.
    ``user_id``), signed, to the server at ``base``; return the HTTP status of its answer.
    Its reply goes to a fresh response_url of ``fake``."""
    body = urlencode(
        payload("slash_command") | {"text": text, "response_url": fake.response_url(), **fields}
    )
    ts = str(int(time.time()))
    headers = {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(SIGNING_SECRET, ts, body),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    async with http.post(f"{base}/slack/events", data=body, headers=headers) as response:
        await response.read()
        return response.status


@dataclass
class SlackHarness:
    """The app served on localhost, the fake Slack it talks to, and helpers to drive both."""

    adapter: SlackAdapter
    fake: FakeSlackAPI
    url: str
    session: aiohttp.ClientSession
    secret: str = SIGNING_SECRET
    sent: list[tuple[int, str]] = field(default_factory=list)

    # -- raw requests ---------------------------------------------------------------------

    async def post(
        self,
        body: str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        timestamp: int | None = None,
        secret: str | None = None,
        headers: Mapping[str, str] | None = None,
        drain: bool = True,
    ) -> tuple[int, str]:
        """POST ``body`` to /slack/events, signed (with ``secret``, at ``timestamp``)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret or self.secret, ts, body),
            **(headers or {}),
        }
        async with self.session.post(
            f"{self.url}/slack/events", data=body.encode(), headers=signed
        ) as response:
            result = (response.status, await response.text())
        if drain:
            await self.adapter.drain(timeout=10)
        self.sent.append(result)
        return result

    # -- what a person does -----------------------------------------------------------------

    async def command(
        self,
        text: str,
        *,
        user: str = "alice",
        command: str = "/ob",
        channel: str = CHANNEL,
        drain: bool = True,
        raw: bool = False,
        **fields: str,
    ) -> tuple[int, str]:
        """Type ``command text`` in ``channel`` as ``user`` (and wait for the reply, by default).

        ``text`` is encoded the way Slack sends it, unless ``raw`` (already in Slack's format).
        """
        body = payload("slash_command")
        body.update(
            command=command,
            text=text if raw else as_slack_sends(text),
            user_id=user_id(user),
            user_name=user,
            channel_id=channel,
            channel_name="directmessage" if channel.startswith("D") else "fall-2026",
            response_url=self.fake.response_url(user),
            **fields,
        )
        return await self.post(urlencode(body), drain=drain)

    async def press(
        self,
        value: str,
        *,
        user: str = "alice",
        channel: str | None = CHANNEL,
        label: str = "Button",
    ) -> tuple[int, str]:
        """Press a button whose value is ``value`` (from a message in ``channel``, or App Home)."""
        body = payload("block_actions")
        body["user"].update(id=user_id(user), username=user, name=user)
        body["actions"][0].update(value=value, text={"type": "plain_text", "text": label})
        if channel is None:  # a button on the App Home tab
            body.pop("channel")
            body["container"] = {"type": "view", "view_id": "V0HOME"}
            body["view"] = {"id": "V0HOME", "type": "home"}
            body.pop("response_url")
        else:
            body["channel"]["id"] = channel
            body["container"]["channel_id"] = channel
            body["response_url"] = self.fake.response_url(user)
        return await self.post(urlencode({"payload": json.dumps(body)}))

    async def submit(
        self, view: Mapping[str, Any], answers: Mapping[str, Any], *, user: str = "alice"
    ) -> tuple[int, str]:
        """Submit the modal ``view`` (as views.open got it) with ``answers`` by block id."""
        body = payload("view_submission")
        body["user"].update(id=user_id(user), username=user, name=user)
        submitted = copy.deepcopy(dict(view))
        submitted["state"] = {"values": state_values(view, answers)}
        submitted.setdefault("id", "V0MODAL")
        body["view"].update(submitted)
        return await self.post(urlencode({"payload": json.dumps(body)}), drain=True)

    async def event(
        self,
        name: str,
        event: Mapping[str, Any] | None = None,
        *,
        event_id: str | None = None,
        retry: int | None = None,
        team: str = TEAM,
        drain: bool = True,
    ) -> tuple[int, str]:
        """Deliver an Events API payload (``app_home_opened``, ``message_im``); with ``drain``
        (the default) wait until the work it started is done."""
        body = payload(name)
        body["event"].update(event or {})
        body.update(event_id=event_id or new_event_id(), team_id=team)
        body["authorizations"][0]["team_id"] = team
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(
            json.dumps(body),
            content_type="application/json",
            headers=headers if retry else None,
            drain=drain,
        )

    async def dm(self, text: str, *, user: str = "alice", event_id: str | None = None) -> None:
        """Type ``text`` in the bot's DM."""
        event = {"text": as_slack_sends(text), "user": user_id(user), "channel": "D" + user.upper()}
        await self.event("message_im", event, event_id=event_id)

    # -- what came back ---------------------------------------------------------------------

    def replies(self, *methods: str) -> list[Call]:
        return self.fake.calls_to(*(methods or REPLY_METHODS))

    def last_reply(self) -> Call:
        replies = self.replies()
        assert replies, f"nothing reached Slack; calls: {self.fake.methods()}"
        return replies[-1]

    def reply_text(self) -> str:
        """Everything readable the last reply showed, with Slack's escapes undone."""
        return unescape(self.last_reply().text())

    def opened_view(self) -> dict[str, Any]:
        calls = self.fake.calls_to("views.open")
        assert calls, f"no modal was opened; calls: {self.fake.methods()}"
        return calls[-1].body["view"]

    async def core(self, text: str, *, user: str = "alice", team: str = TEAM) -> str:
        """Ask the core directly (no Slack), to check what was stored."""
        reply = await self.adapter.core.handle(
            Invocation(
                platform="slack",
                tenant_id=team,
                user_id=user_id(user),
                user_name=user,
                channel_id=CHANNEL,
                text=text,
                capabilities=BACKDOOR,  # the test checking, not a member: never throttled
            )
        )
        return reply.plain_text()


def as_slack_sends(typed: str) -> str:
    """What Slack sends when a person types ``typed`` (commands have ``should_escape`` on).

    ``&``, ``<`` and ``>`` arrive escaped; links, ``@here`` and ``@person`` arrive wrapped.
    """
    text = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"https?://[^\s\"]+", lambda m: f"<{m[0]}>", text)
    text = re.sub(r"(?<![\w&])@(here|channel|everyone)\b", r"<!\1>", text)
    return re.sub(r"(?<![\w<!&])@([a-z][a-z0-9._-]*)", lambda m: f"<@{user_id(m[1])}|{m[1]}>", text)


def new_event_id() -> str:
    """Event ids are remembered in the database (shared by a PostgreSQL test session)."""
    return "Ev" + uuid.uuid4().hex[:12].upper()


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def state_values(view: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """``view.state.values`` as Slack builds it for ``answers`` (block id -> typed value)."""
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        answer = answers.get(block["block_id"])
        state: dict[str, Any] = {"type": kind}
        match kind:
            case "static_select" | "external_select":
                state["selected_option"] = (
                    None if answer is None else {"text": {"text": answer}, "value": answer}
                )
            case "datepicker":
                state["selected_date"] = answer
            case "timepicker":
                state["selected_time"] = answer
            case "users_select":
                state["selected_user"] = answer
            case _:
                state["value"] = None if answer is None else str(answer)
        values[block["block_id"]] = {element["action_id"]: state}
    return values
