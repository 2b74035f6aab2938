"""Messages the bot sends on its own (scheduled prompts, summaries), with each workspace's token.

With OAuth the token comes from ``Installations``, which refreshes a rotating token that is about
to expire before handing it out; a refresh Slack refuses for good (``invalid_refresh_token``, the
app was reinstalled or the token revoked) makes the workspace unreachable, any other failure is
retried later.

The scheduler's outbox calls ``send``: it never waits out a rate limit for the first message but
hands it back as "retry later", and the outbox key rides along as that message's metadata so
``was_delivered`` can look for it after a crash. What a reply keeps in its thread
(``Reply.thread``: each member's standup under the summary) is posted as replies to that first
message, once it is out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.config import SlackConfig
from adapters.slack.outbound import DELIVERY_EVENT, Sender, outcome_of
from adapters.slack.render import render_post
from bot.delivery import Delivered, Outcome, RetryLater, Target, Unreachable
from bot.replies import File, Reply

log = logging.getLogger("offerbound.slack")


class NotInstalled(LookupError):
    """No bot token is stored for a workspace (never installed, or uninstalled)."""


# What keeps a message from going out (the first of a delivery is handled with more care).
SENDING_FAILED = (
    NotInstalled,
    SlackApiError,
    SlackTokenRotationError,
    aiohttp.ClientError,
    TimeoutError,
)


class Pusher:
    """Sends to a workspace outside of any request, finding its bot token first."""

    def __init__(
        self,
        config: SlackConfig,
        make_client: Callable[..., AsyncWebClient],
        installations: Any,
        session: aiohttp.ClientSession,
        dm_channels: MutableMapping[tuple[str, str], str],
    ) -> None:
        self.config = config
        self.make_client = make_client
        self.installations = installations
        self.session = session
        self.dm_channels = dm_channels

    async def sender(self, tenant_id: str, *, for_delivery: bool = False) -> Sender:
        """A sender with the bot token of ``tenant_id`` (``T123`` or ``E123:T123``)."""
        if not self.config.oauth:
            token = self.config.bot_token
        else:
            enterprise, _, team = tenant_id.rpartition(":")
            bot = await self.installations.async_find_bot(
                enterprise_id=enterprise or None, team_id=team or None
            )
            if bot is None or not bot.bot_token:
                raise NotInstalled(tenant_id)
            token = bot.bot_token
        client = self.make_client(token, for_delivery=for_delivery)
        return Sender(client, self.session, self.dm_channels, tenant_id)

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        """Send a scheduled message once; the outbox ``key`` rides along as the first message's
        metadata, and the reply's thread goes under that message."""
        try:
            sender = await self.sender(target.tenant_id, for_delivery=True)
            channel = target.channel_id or await sender.dm_channel(target.user_id)
            messages, thread = render_post(reply)
            if not messages:
                return Delivered()
            metadata = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key}}
            ref = await sender.post_message(channel, messages[0], metadata=metadata)
        except NotInstalled:
            return Unreachable("Offerbound is not installed in this workspace")
        except SlackTokenRotationError as exc:
            return _refresh_failed(exc)
        except SlackApiError as exc:
            return outcome_of(exc, dm=not target.channel_id)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return RetryLater(after=30.0, reason=f"network: {exc}")
        # The first message is out, so the rest is best effort and never repeated; a burst of
        # thread replies may meet the channel's rate limit, so these calls wait out a short
        # Retry-After (interactive retry handlers) instead of giving up.
        try:
            rest = await self.sender(target.tenant_id)
            for message in messages[1:]:
                await rest.post_message(channel, message)
            for message in thread:
                await rest.post_message(channel, message, thread_ts=ref)
            for block in reply.all_blocks:
                if isinstance(block, File):
                    await rest.upload(block, channel)
        except SENDING_FAILED as exc:
            log.warning("part of delivery %s was not sent: %s", key, exc)
        return Delivered(ref=ref)

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        """Look for a recent message carrying ``key``; None when Slack can't be asked."""
        try:
            sender = await self.sender(target.tenant_id, for_delivery=True)
            channel = target.channel_id or await sender.dm_channel(target.user_id)
            history = await sender.client.conversations_history(
                channel=channel, limit=100, include_all_metadata=True
            )
        except SENDING_FAILED:
            return None
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == DELIVERY_EVENT and (
                (metadata.get("event_payload") or {}).get("key") == key
            ):
                return True
        return False


# Refusals after which the stored refresh token will never work again: reinstalling is the fix
# (https://docs.slack.dev/reference/methods/oauth.v2.access, errors).
FINAL_REFRESH_ERRORS = frozenset(
    {"invalid_refresh_token", "invalid_grant", "invalid_client_id", "bad_client_secret"}
)


def _refresh_failed(exc: SlackTokenRotationError) -> Outcome:
    error = str((exc.api_error.response or {}).get("error") or "")
    if error in FINAL_REFRESH_ERRORS:
        return Unreachable(f"Slack refused to refresh this workspace's token ({error})")
    return RetryLater(after=60.0, reason=f"token refresh failed: {error or 'unknown'}")
