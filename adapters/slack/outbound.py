"""Sending a rendered reply where it belongs: the response_url, the channel, or the user's DM.

Private replies are ephemeral (through the command's ``response_url`` when there is one) or DMs;
channel replies are posted in the channel. When Slack refuses a channel (the bot is not in it),
the reply goes to the person's DM instead of being lost. Files always travel as uploads.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import Message, render_messages
from bot.delivery import Failed, Outcome, RetryLater, Unreachable
from bot.replies import File, Reply, Visibility

log = logging.getLogger("offerbound.slack")

RESPONSE_URL_USES = 5  # Slack accepts five posts to one response_url
DELIVERY_EVENT = "offerbound_delivery"  # message metadata carrying the outbox key
_UNREACHABLE = {
    "account_inactive",
    "cannot_dm_bot",
    "invalid_auth",
    "messages_tab_disabled",
    "not_authed",
    "token_revoked",
    "user_disabled",
    "user_not_found",
    "user_not_visible",
}
_TRANSIENT = {
    "fatal_error",
    "internal_error",
    "ratelimited",
    "request_timeout",
    "service_unavailable",
}


@dataclass(frozen=True)
class Destination:
    """Where one invocation's reply goes.

    ``own_dm`` says ``channel_id`` is the bot's own DM with the user, so a plain post there is
    private; any other channel gets ephemeral messages for private replies.
    """

    user_id: str
    channel_id: str = ""
    own_dm: bool = False
    response_url: str | None = None


class Sender:
    """Posts replies with one workspace's client; DM channel ids are cached in ``dm_cache``."""

    def __init__(
        self,
        client: AsyncWebClient,
        session: aiohttp.ClientSession,
        dm_cache: MutableMapping[tuple[str, str], str],
        tenant_id: str,
    ) -> None:
        self.client = client
        self.session = session
        self.dm_cache = dm_cache
        self.tenant_id = tenant_id

    async def send(self, reply: Reply, dest: Destination) -> None:
        """Post every message of ``reply`` and upload its files."""
        public = reply.visibility is Visibility.CHANNEL
        uses = 0
        for message in render_messages(reply):
            if dest.response_url and uses < RESPONSE_URL_USES:
                uses += 1
                if await self._respond(dest.response_url, message, public):
                    continue
            await self._post(message, dest, public)
        for block in reply.all_blocks:
            if isinstance(block, File):
                await self.upload(block, await self._file_channel(dest, public))

    async def post_message(self, channel: str, message: Message, **extra: Any) -> str:
        """``chat.postMessage``; returns the message's ts."""
        response = await self.client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks, **extra
        )
        return str(response.get("ts") or "")

    async def dm_channel(self, user_id: str) -> str:
        """The id of the bot's DM with ``user_id`` (opened once, then cached)."""
        key = (self.tenant_id, user_id)
        if key not in self.dm_cache:
            response = await self.client.conversations_open(users=user_id)
            self.dm_cache[key] = response["channel"]["id"]
        return self.dm_cache[key]

    async def upload(self, file: File, channel: str) -> None:
        await self.client.files_upload_v2(
            channel=channel, content=file.content, filename=file.filename, title=file.title or None
        )

    async def _respond(self, url: str, message: Message, public: bool) -> bool:
        payload = {
            "text": message.text,
            "blocks": message.blocks,
            "response_type": "in_channel" if public else "ephemeral",
            "replace_original": False,
        }
        try:
            async with self.session.post(url, json=payload) as response:
                if response.status == 200:
                    return True
                log.warning("response_url answered %s; posting instead", response.status)
        except aiohttp.ClientError as exc:
            log.warning("response_url failed (%s); posting instead", exc)
        return False

    async def _post(self, message: Message, dest: Destination, public: bool) -> None:
        try:
            if dest.channel_id and (dest.own_dm or public):
                await self.post_message(dest.channel_id, message)
                return
            if dest.channel_id:
                await self.client.chat_postEphemeral(
                    channel=dest.channel_id,
                    user=dest.user_id,
                    text=message.text,
                    blocks=message.blocks,
                )
                return
        except SlackApiError as exc:
            log.info("channel %s refused the reply (%s); sending a DM", dest.channel_id, exc)
        await self.post_message(await self.dm_channel(dest.user_id), message)

    async def _file_channel(self, dest: Destination, public: bool) -> str:
        if dest.channel_id and (dest.own_dm or public):
            return dest.channel_id
        return await self.dm_channel(dest.user_id)


def outcome_of(exc: SlackApiError, *, dm: bool) -> Outcome:
    """What a refused delivery means for the outbox."""
    response = exc.response
    error = str(response.get("error") or "") if isinstance(response.data, dict) else ""
    if response.status_code == 429 or error == "ratelimited":
        wait = _header(response.headers, "retry-after")
        return RetryLater(after=float(wait) if wait else 1.0, reason="rate limited")
    if response.status_code >= 500 or error in _TRANSIENT:
        return RetryLater(after=30.0, reason=error or f"HTTP {response.status_code}")
    if error in _UNREACHABLE or (dm and error == "channel_not_found"):
        return Unreachable(error)
    return Failed(error or f"HTTP {response.status_code}")


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            value = value[0] if isinstance(value, list | tuple) else value
            try:
                float(value)
            except (TypeError, ValueError):
                return None
            return str(value)
    return None
