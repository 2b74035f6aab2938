"""Building the discord.py client: the intents Offerbound needs, sharding, and base-URL overrides.

``OFFERBOUND_DISCORD_API_URL`` and ``OFFERBOUND_DISCORD_GATEWAY_URL`` change discord.py's REST base
(``Route.BASE``) and gateway (``DiscordWebSocket.DEFAULT_GATEWAY``). Both are process-wide, so
they are set while an adapter runs and put back when it stops.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.settings import DiscordSettings

API_VERSION = 10


def intents() -> discord.Intents:
    """Guilds (to know the servers, for DMs) and direct messages (typed commands); no privileged
    intent: slash commands, buttons and modals arrive as interactions whatever the intents, and
    DMs carry their text without the message-content intent."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.dm_messages = True
    return wanted


def api_base(url: str) -> str:
    """``http://host:port`` or ``.../api/v10`` → the REST base discord.py puts paths under."""
    url = url.rstrip("/")
    return url if re.search(r"/api/v\d+$", url) else f"{url}/api/v{API_VERSION}"


@contextmanager
def endpoints(api_url: str | None, gateway_url: str | None) -> Iterator[None]:
    """Point discord.py at other REST and gateway URLs for as long as the block runs."""
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    if api_url:
        Route.BASE = api_base(api_url)
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


def make_client(settings: DiscordSettings, **options: Any) -> discord.Client:
    """A plain client, or an ``AutoShardedClient`` when ``OFFERBOUND_DISCORD_SHARDS`` is set
    (0 asks Discord for its recommended shard count)."""
    config: dict[str, Any] = {
        "intents": intents(),
        "allowed_mentions": discord.AllowedMentions.none(),
        "max_messages": None,
        "chunk_guilds_at_startup": False,
        "member_cache_flags": discord.MemberCacheFlags.none(),
        # Longer waits raise RateLimited, so a scheduled send is retried later instead of blocking.
        "max_ratelimit_timeout": 30.0,
        **options,
    }
    # Offerbound never joins voice: skip discord.py's warnings about missing voice libraries.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    if settings.shards is None:
        return discord.Client(**config)
    return discord.AutoShardedClient(shard_count=settings.shards or None, **config)
