"""Token buckets by key: how often one member, one workspace or one link may do something.

``allow(key)`` spends a token when one is there and says how long to wait otherwise, so a caller
can answer "try again in N seconds" (or HTTP 429 with Retry-After) instead of doing the work.
Buckets live in the process; idle ones are forgotten so the table stays small.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

MAX_KEYS = 50_000


@dataclass(frozen=True)
class Rate:
    """``burst`` at once, refilled at ``per_minute`` a minute."""

    per_minute: float
    burst: int


class RateLimiter:
    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, stamp)

    def allow(self, key: Hashable) -> float:
        """0 when ``key`` may go now (a token is spent), else the seconds until it may."""
        now = self._clock()
        refill = self.rate.per_minute / 60.0
        tokens, stamp = self._buckets.get(key, (float(self.rate.burst), now))
        tokens = min(float(self.rate.burst), tokens + (now - stamp) * refill)
        if tokens >= 1.0:
            self._remember(key, tokens - 1.0, now)
            return 0.0
        self._remember(key, tokens, now)
        return (1.0 - tokens) / refill if refill > 0 else float("inf")

    def _remember(self, key: Hashable, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > MAX_KEYS:  # drop the full (idle) buckets first
            full = [k for k, (t, _) in self._buckets.items() if t >= self.rate.burst - 1]
            for stale in full[: len(self._buckets) - MAX_KEYS // 2]:
                del self._buckets[stale]
