"""What the core may ask Slack about a workspace: can the bot post in this channel, and who is
this person (an admin? in the coaches' user group?).

Both answers come from Slack with the workspace's own bot token, so a channel of another
workspace is simply not found: a member can never point a cohort at someone else's Slack.
Standings are remembered for a few minutes (``STANDING_TTL``) to spare Slack's rate limits, and
forgotten soon enough that a demoted admin loses their rights.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import aiohttp
from slack_sdk.errors import SlackApiError

from adapters.slack.cache import Expiring
from adapters.slack.push import NotInstalled, Pusher
from bot.platform import Standing

log = logging.getLogger("offerbound.slack")

STANDING_TTL = 300.0  # seconds a user's admin flag and group membership are trusted

NOT_FOUND = (
    "I can't find that channel in this workspace. If it is private, invite me first "
    "(`/invite @Offerbound` in the channel)."
)


class Workspaces:
    """Channel checks and standings, asked of Slack with each workspace's bot token."""

    def __init__(self, push: Pusher, clock: Callable[[], float] = time.monotonic) -> None:
        self.push = push
        self._admins: Expiring[tuple[str, str], bool] = Expiring(STANDING_TTL, clock)
        self._groups: Expiring[tuple[str, str], frozenset[str]] = Expiring(STANDING_TTL, clock)

    async def check_channel(self, tenant_id: str, channel_id: str) -> str | None:
        """Why the bot could not post its cohort summaries in ``channel_id`` (None: it can).

        ``conversations.info`` with this workspace's token: another workspace's channel, and a
        private channel the bot was not invited to, are "not found"; an archived channel takes
        no messages; a Slack Connect channel would show one company's cohort to another.
        """
        if channel_id.startswith("D"):
            return "A direct message can't be a cohort channel; pick a channel everyone is in."
        try:
            sender = await self.push.sender(tenant_id)
            answer = await sender.client.conversations_info(channel=channel_id)
        except NotInstalled:
            return "Offerbound is not installed in this workspace."
        except SlackApiError as exc:
            error = exc.response.get("error")
            if error in ("channel_not_found", "not_in_channel"):
                return NOT_FOUND
            log.warning("conversations.info failed for %s: %s", channel_id, error)
            return f"Slack would not tell me about that channel ({error}); try again later."
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("conversations.info failed for %s: %s", channel_id, exc)
            return "Slack did not answer; try again in a minute."
        channel = answer.get("channel") or {}
        if channel.get("is_archived"):
            return "That channel is archived; pick one people still read."
        if channel.get("is_ext_shared") or channel.get("is_org_shared"):
            return (
                "That channel is shared with another organisation; "
                "pick one of this workspace's own."
            )
        if channel.get("is_private") and not channel.get("is_member"):
            return NOT_FOUND
        return None

    async def standing(self, tenant_id: str, user_id: str, groups: frozenset[str]) -> Standing:
        """Whether ``user_id`` is an admin or owner of the workspace (``users.info``) and which
        of ``groups`` (user group ids, ``S...``) they are in (``usergroups.users.list``).

        When Slack can't be asked, the answer is "no rights": refusing a cohort for a minute is
        better than letting anyone create one.
        """
        admin = self._admins.get((tenant_id, user_id))
        if admin is None:
            admin = await self._is_admin(tenant_id, user_id)
        member_of = [g for g in sorted(groups) if user_id in await self._members(tenant_id, g)]
        return Standing(admin=bool(admin), groups=frozenset(member_of))

    async def _is_admin(self, tenant_id: str, user_id: str) -> bool | None:
        try:
            sender = await self.push.sender(tenant_id)
            answer = await sender.client.users_info(user=user_id)
        except (NotInstalled, SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("users.info failed for %s: %s", user_id, exc)
            return None
        user = answer.get("user") or {}
        admin = any(user.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))
        self._admins.put((tenant_id, user_id), admin)
        return admin

    async def _members(self, tenant_id: str, group: str) -> frozenset[str]:
        known = self._groups.get((tenant_id, group))
        if known is not None:
            return known
        try:
            sender = await self.push.sender(tenant_id)
            answer = await sender.client.usergroups_users_list(usergroup=group)
        except (NotInstalled, SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("usergroups.users.list failed for %s: %s", group, exc)
            return frozenset()
        members = frozenset(str(u) for u in answer.get("users") or [])
        self._groups.put((tenant_id, group), members)
        return members
