"""In-process locks by key, so one member cannot run the same slow thing twice at once.

A second ``/github sync`` while the first is still waiting for GitHub is refused at once (try
again in a moment) instead of queueing behind it and holding a worker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class Busy(Exception):
    """The key is already held by a command in flight."""


class KeyedLocks:
    """Non-blocking, per-key mutual exclusion for one process."""

    def __init__(self) -> None:
        self._held: set[Hashable] = set()

    def held(self, key: Hashable) -> bool:
        return key in self._held

    @asynccontextmanager
    async def exclusive(self, key: Hashable) -> AsyncIterator[None]:
        """Hold ``key`` for the block, or raise ``Busy`` at once when someone else holds it."""
        if key in self._held:
            raise Busy(key)
        self._held.add(key)
        try:
            yield
        finally:
            self._held.discard(key)
