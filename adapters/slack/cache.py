"""Bounded memories of what Slack told us: names, DM channels, standings.

Slack answers the same questions (a user's name, the DM channel with them, whether they are an
admin) again and again; remembering the answers keeps the bot under Slack's per-method rate
limits. Every cache is bounded, and the ones whose answers can change (someone stops being an
admin) forget after a while.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

REMEMBERED_USERS = 10_000  # bound on the name, DM-channel and App Home caches

K = TypeVar("K")
V = TypeVar("V")


class LRU(OrderedDict[Any, Any]):
    """A dict that forgets its oldest entries beyond ``limit``."""

    def __init__(self, limit: int = REMEMBERED_USERS) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


class Expiring(Generic[K, V]):
    """An LRU whose answers are forgotten ``ttl`` seconds after they were learned."""

    def __init__(
        self, ttl: float, clock: Callable[[], float], limit: int = REMEMBERED_USERS
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: LRU = LRU(limit)

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is None:
            return None
        learned, value = found
        if self.clock() - learned > self.ttl:
            del self._entries[key]
            return None
        return value  # type: ignore[no-any-return]

    def put(self, key: K, value: V) -> None:
        self._entries[key] = (self.clock(), value)
