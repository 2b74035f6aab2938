"""Pacing outgoing messages under each platform's rate limits, and backing off after a 429.

Token buckets, keyed by platform and tenant (and channel where a platform limits per channel),
spread a large fan-out over a short window instead of one burst the platform would reject. The
limits come from each platform's ``Capabilities``; the pacer knows no platform by name.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

from bot.platform import Platform, RateLimit

Limits = dict[str, tuple[RateLimit | None, RateLimit | None]]  # platform: (per tenant, per channel)


def limits_of(platforms: Mapping[str, Platform]) -> Limits:
    """Each platform's documented limits, as its capabilities declare them."""
    return {
        name: (p.capabilities.tenant_rate, p.capabilities.channel_rate)
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


class Pacer:
    """Waits as long as the platform's limits require before each send."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = asyncio.sleep,
    ) -> None:
        self.limits: Limits = {} if limits is None else limits
        self.enabled = enabled
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[tuple[str, ...], TokenBucket] = {}
        self._lock = asyncio.Lock()

    def _bucket(self, key: tuple[str, ...], limit: RateLimit) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(limit, self._clock)
        return bucket

    def _applicable(self, platform: str, tenant: str, channel: str) -> list[TokenBucket]:
        per_tenant, per_channel = self.limits.get(platform, (None, None))
        buckets = []
        if per_tenant:
            buckets.append(self._bucket((platform, tenant), per_tenant))
        if per_channel and channel:
            buckets.append(self._bucket((platform, tenant, channel), per_channel))
        return buckets

    async def wait(self, platform: str, tenant: str, channel: str = "") -> float:
        """Sleep until a message to ``channel`` may be sent; return how long that was."""
        if not self.enabled:
            return 0.0
        async with self._lock:
            delay = max(
                (b.delay() for b in self._applicable(platform, tenant, channel)), default=0.0
            )
        if delay > 0:
            await self._sleep(delay)  # type: ignore[misc]
        return delay

    def back_off(self, platform: str, tenant: str, seconds: float) -> None:
        """A 429 said Retry-After: hold every send to this tenant for that long."""
        per_tenant, _ = self.limits.get(platform, (None, None))
        limit = per_tenant or RateLimit(rate=1000.0, burst=1000)
        self._bucket((platform, tenant), limit).block(seconds)
