"""Token buckets by key: how often one member, one workspace or one link may do something.

``allow(key)`` spends a token when one is there and says how long to wait otherwise, so a caller
can answer "try again in N seconds" (or HTTP 429 with Retry-After) instead of doing the work.
Buckets live in the process; idle ones are forgotten so the table stays small.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.invocation import Invocation

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
        wait, _ = self.reserve(key, 0.0)
        return wait

    def reserve(self, key: Hashable, patience: float) -> tuple[float, bool]:
        """Book ``key``'s next token if it comes within ``patience`` seconds: (seconds until
        it may go, True) with the token spent, the bucket going into debt for a future one, so
        those who wait go in the order they came at the bucket's pace; else (the wait, False)."""
        now = self._clock()
        refill = self.rate.per_minute / 60.0
        tokens, stamp = self._buckets.get(key, (float(self.rate.burst), now))
        tokens = min(float(self.rate.burst), tokens + (now - stamp) * refill)
        wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / refill if refill > 0 else float("inf")
        if wait <= patience:
            self._remember(key, tokens - 1.0, now)
            return wait, True
        self._remember(key, tokens, now)
        return wait, False

    def _remember(self, key: Hashable, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > MAX_KEYS:  # drop the full (idle) buckets first
            full = [k for k, (t, _) in self._buckets.items() if t >= self.rate.burst - 1]
            for stale in full[: len(self._buckets) - MAX_KEYS // 2]:
                del self._buckets[stale]


# Commands a minute (with bursts): generous for people, firm against a script or a loop.
MEMBER = Rate(per_minute=30, burst=20)
MEMBER_EXPENSIVE = Rate(per_minute=6, burst=5)  # charts, exports, imports, outside calls
WORKSPACE = Rate(per_minute=600, burst=200)
WORKSPACE_EXPENSIVE = Rate(per_minute=60, burst=20)
# A workspace over its pace is many people at once (a cohort's kickoff: 2,000 members joining),
# not one script: their commands wait their turn, up to this long, instead of being refused.
WORKSPACE_PATIENCE = 60.0  # seconds (Slack's response_url and Discord's follow-ups last longer)


@dataclass(frozen=True)
class Limits:
    """How fast one member and one workspace may run commands, and the expensive ones."""

    member: Rate = MEMBER
    member_expensive: Rate = MEMBER_EXPENSIVE
    workspace: Rate = WORKSPACE
    workspace_expensive: Rate = WORKSPACE_EXPENSIVE


class Throttle:
    """The per-member and per-workspace token buckets of one process."""

    def __init__(self, limits: Limits | None = None, patience: float = WORKSPACE_PATIENCE) -> None:
        self.limits = limits or Limits()
        self.patience = patience
        self.member = RateLimiter(self.limits.member)
        self.member_expensive = RateLimiter(self.limits.member_expensive)
        self.workspace = RateLimiter(self.limits.workspace)
        self.workspace_expensive = RateLimiter(self.limits.workspace_expensive)

    def wait(self, inv: Invocation, expensive: bool) -> tuple[float, str, float]:
        """Whether this command may run: (seconds to wait before trying again, which limit
        refused it) when refused, else (0, "", seconds it must wait for its turn, often 0).

        A member over their pace is refused; a workspace over its pace makes its commands
        wait their turn, up to ``patience`` seconds, and only refuses beyond that.
        """
        person = (inv.platform, inv.tenant_id, inv.user_id)
        place = (inv.platform, inv.tenant_id)
        members = [self.member, self.member_expensive] if expensive else [self.member]
        for limiter in members:
            wait = limiter.allow(person)
            if wait > 0:
                return wait, "member", 0.0
        turn = 0.0
        places = [self.workspace, self.workspace_expensive] if expensive else [self.workspace]
        for limiter in places:
            wait, booked = limiter.reserve(place, self.patience)
            if not booked:
                return wait, "workspace", 0.0
            turn = max(turn, wait)
        return 0.0, "", turn
