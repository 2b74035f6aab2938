"""Pacing outgoing messages under each platform's rate limits, and backing off after a 429.

Token buckets, keyed by platform and tenant (and channel where a platform limits per channel),
spread a large fan-out over a short window instead of one burst the platform would reject. The
limits come from each platform's ``Capabilities``; the pacer knows no platform by name.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Protocol

from bot.platform import Outbound, RateLimit

# platform: (per tenant, per channel, per bot)
Limits = dict[str, tuple[RateLimit | None, RateLimit | None, RateLimit | None]]


def limits_of(platforms: Mapping[str, Outbound]) -> Limits:
    """Each platform's documented limits, as its capabilities declare them."""
    return {
        name: (p.capabilities.tenant_rate, p.capabilities.channel_rate, p.capabilities.bot_rate)
        for name, p in platforms.items()
    }


class TokenBucket:
    def __init__(self, limit: RateLimit, now: Callable[[], float]) -> None:
        self.limit = limit
        self._now = now
        self._tokens = float(limit.burst)
        self._stamp = now()
        self._blocked_until = 0.0

    def delay(self) -> float:
        """Seconds to wait before one more message may go (and reserve it)."""
        now = self._now()
        self._tokens = min(self.limit.burst, self._tokens + (now - self._stamp) * self.limit.rate)
        self._stamp = now
        wait = max(0.0, self._blocked_until - now)
        self._tokens -= 1
        if self._tokens < 0:
            wait = max(wait, -self._tokens / self.limit.rate)
        return wait

    def block(self, seconds: float) -> None:
        self._blocked_until = max(self._blocked_until, self._now() + seconds)


class Buckets(Protocol):
    """Where the pacer's token buckets live: this process, or the database for all replicas."""

    async def reserve(self, claims: Sequence[tuple[str, float, int]]) -> float:
        """Spend one token from each ``(key, rate, burst)``; the seconds to wait before sending."""
        ...

    async def block(self, key: str, seconds: float) -> None:
        """Hold every send through ``key`` for ``seconds`` (a Retry-After)."""
        ...


class LocalBuckets:
    """Buckets in this process (SQLite runs one process; tests)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}

    def _bucket(self, key: str, rate: float, burst: int) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(RateLimit(rate, burst), self._clock)
        return bucket

    async def reserve(self, claims: Sequence[tuple[str, float, int]]) -> float:
        return max((self._bucket(*claim).delay() for claim in claims), default=0.0)

    async def block(self, key: str, seconds: float) -> None:
        bucket = self._buckets.get(key) or self._bucket(key, 1000.0, 1000)
        bucket.block(seconds)


class Pacer:
    """Waits as long as the platforms' limits require before each send.

    Limits apply per workspace, per channel and per bot (a platform's global limit), from each
    platform's capabilities; the buckets are this process's, or shared by every replica.
    """

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        enabled: bool = True,
        buckets: Buckets | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.limits: Limits = {} if limits is None else limits
        self.enabled = enabled
        self.buckets: Buckets = buckets or LocalBuckets(clock)
        self._sleep = sleep
        self._lock = asyncio.Lock()

    def _claims(self, platform: str, tenant: str, channel: str) -> list[tuple[str, float, int]]:
        per_tenant, per_channel, per_bot = self.limits.get(platform, (None, None, None))
        claims = []
        if per_bot:
            claims.append((f"{platform}", per_bot.rate, per_bot.burst))
        if per_tenant:
            claims.append((f"{platform}:{tenant}", per_tenant.rate, per_tenant.burst))
        if per_channel and channel:
            claims.append((f"{platform}:{tenant}:{channel}", per_channel.rate, per_channel.burst))
        return claims

    async def wait(self, platform: str, tenant: str, channel: str = "") -> float:
        """Sleep until a message to ``channel`` may be sent; return how long that was."""
        if not self.enabled:
            return 0.0
        claims = self._claims(platform, tenant, channel)
        if not claims:
            return 0.0
        async with self._lock:
            delay = await self.buckets.reserve(claims)
        if delay > 0:
            await self._sleep(delay)
        return delay

    async def back_off(self, platform: str, tenant: str, seconds: float) -> None:
        """A 429 said Retry-After: hold every send to this tenant for that long."""
        await self.buckets.block(f"{platform}:{tenant}", seconds)
