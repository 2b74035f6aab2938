"""What the core may ask Discord about a server: is this channel the server's, can the bot post
there, and is this member an admin or in the coaches' role?

Discord channel ids are global, so a channel typed into ``channel=`` may belong to any server the
bot is in: the channel's guild must be the invocation's (the tenant's), checked when a cohort's
channel is set and again before every post. Answers come from the gateway's cache when it has
them and from REST otherwise (``GET /channels/{id}``, ``GET /guilds/{id}/members/{user}``).
"""

from __future__ import annotations

import logging

import aiohttp
import discord

from bot.platform import Standing

log = logging.getLogger("offerbound.discord")

ANOTHER_SERVER = "That channel belongs to another server; pick one of this server's channels."
NOT_VISIBLE = "I can't see that channel; pick a text channel of this server I can read."


class GuildRights:
    """Channel checks and members' standing, asked of one discord.py client."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self._guild_of: dict[int, int] = {}  # channel id -> guild id, learned once (it never moves)

    async def guild_of(self, channel_id: int) -> int | None:
        """The guild ``channel_id`` belongs to (None: a DM, or a channel the bot can't see)."""
        if channel_id in self._guild_of:
            return self._guild_of[channel_id]
        channel = await self._channel(channel_id)
        guild = getattr(channel, "guild", None)
        if guild is None:
            return None
        self._guild_of[channel_id] = guild.id
        return int(guild.id)

    async def check_channel(self, tenant_id: str, channel_id: str) -> str | None:
        """Why the bot could not post cohort summaries in ``channel_id`` for server
        ``tenant_id`` (None: it can)."""
        channel = await self._channel(int(channel_id))
        if channel is None:
            return NOT_VISIBLE
        guild = getattr(channel, "guild", None)
        if guild is None:
            return "A direct message can't be a cohort channel; pick one of this server's channels."
        self._guild_of[int(channel_id)] = guild.id
        if str(guild.id) != tenant_id:
            return ANOTHER_SERVER
        if not isinstance(channel, discord.TextChannel):
            return "Pick a text channel: I post summaries and the leaderboard as messages."
        me = guild.me if isinstance(guild, discord.Guild) else None
        if me is not None:
            allowed = channel.permissions_for(me)
            if not (allowed.view_channel and allowed.send_messages):
                return (
                    "I'm not allowed to post in that channel; give me View Channel and Send "
                    "Messages there, or pick another."
                )
        return None

    async def standing(self, tenant_id: str, user_id: str, groups: frozenset[str]) -> Standing:
        """Admin (the owner, Administrator or Manage Server) and which roles of ``groups``."""
        guild = self.client.get_guild(int(tenant_id))
        if guild is None:
            return Standing()
        member = guild.get_member(int(user_id))
        if member is None:
            try:
                member = await guild.fetch_member(int(user_id))
            except discord.NotFound:
                return Standing()  # not (any more) a member of the server
            except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
                log.warning("could not look up member %s of %s: %s", user_id, tenant_id, exc)
                return Standing()
        allowed = member.guild_permissions
        admin = guild.owner_id == member.id or allowed.administrator or allowed.manage_guild
        roles = frozenset(str(role.id) for role in member.roles)
        return Standing(admin=admin, groups=roles & groups)

    async def _channel(self, channel_id: int) -> object | None:
        channel = self.client.get_channel(channel_id)
        if channel is not None:
            return channel
        try:
            return await self.client.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden):
            return None
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not look up channel %s: %s", channel_id, exc)
            return None
