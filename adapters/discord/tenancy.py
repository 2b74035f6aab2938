"""Which server a direct message belongs to: the one guild its author shares with the bot.

A DM carries no guild, but every Offerbound row belongs to one (the tenant). Without the
privileged members intent the member cache is nearly empty, so membership is asked over REST
(``GET /guilds/{id}/members/{user}``), once per guild and user, and cached for a while. Guilds
where the user has already run a command are known without asking. Past ``fetch_limit`` guilds
only those are used, so a DM never costs hundreds of requests.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import discord

log = logging.getLogger("offerbound.discord")


class MutualGuilds:
    """Finds (and remembers) the guilds a user shares with the bot."""

    def __init__(
        self,
        guilds: Callable[[], list[discord.Guild]],
        *,
        fetch_limit: int = 25,
        ttl: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._guilds = guilds
        self._fetch_limit = fetch_limit
        self._ttl = ttl
        self._clock = clock
        self._seen: dict[int, dict[int, float]] = {}  # user -> guild -> when last seen there
        self._cache: dict[int, tuple[float, frozenset[int]]] = {}

    def remember(self, user_id: int, guild_id: int) -> None:
        """The user just used a command in this guild, so they are a member of it (for a
        while: after ``ttl`` their membership is checked again, so a removed member loses
        access by DM)."""
        self._seen.setdefault(user_id, {})[guild_id] = self._clock()

    async def home(self, user_id: int) -> discord.Guild | str:
        """The one guild a DM from ``user_id`` belongs to, or what to tell them instead."""
        guilds = await self.of(user_id)
        if len(guilds) == 1:
            return guilds[0]
        if not guilds:
            return (
                "I only work for members of a server I'm in. Use my commands in your cohort's "
                "server (ask your coach to invite me if I'm not there)."
            )
        names = ", ".join(g.name for g in guilds[:5])
        return (
            f"You share several servers with me ({names}), so I can't tell which cohort you "
            "mean here. Use the command in your cohort's server instead."
        )

    async def of(self, user_id: int) -> list[discord.Guild]:
        """The guilds ``user_id`` shares with the bot, sorted by name."""
        guilds = {g.id: g for g in self._guilds()}
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] > self._clock():
            ids = cached[1]
        else:
            ids = await self._look_up(user_id, guilds)
            self._cache[user_id] = (self._clock() + self._ttl, ids)
        return sorted((guilds[i] for i in ids if i in guilds), key=lambda g: (g.name, g.id))

    async def _look_up(self, user_id: int, guilds: dict[int, discord.Guild]) -> frozenset[int]:
        found = {i for i, g in guilds.items() if g.get_member(user_id) is not None}
        seen = self._seen.get(user_id, {})
        now = self._clock()
        found |= {i for i, at in seen.items() if now - at < self._ttl} & guilds.keys()
        stale = [guilds[i] for i in seen if i in guilds and i not in found]
        if len(guilds) <= self._fetch_limit:
            unknown = [g for i, g in guilds.items() if i not in found]
        else:  # too many to ask each: only re-check the ones the user was seen in before
            unknown = stale
        results = await asyncio.gather(*(_is_member(g, user_id) for g in unknown))
        found |= {g.id for g, member in zip(unknown, results, strict=True) if member}
        for guild in unknown:  # a removed member is forgotten, not remembered forever
            if guild.id not in found:
                seen.pop(guild.id, None)
        return frozenset(found)


async def _is_member(guild: discord.Guild, user_id: int) -> bool:
    try:
        await guild.fetch_member(user_id)
    except discord.NotFound:
        return False
    except discord.HTTPException as exc:
        log.warning("could not check membership of guild %s: %s", guild.id, exc)
        return False
    return True
