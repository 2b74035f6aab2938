"""In-process locks: by key, so one member cannot run the same slow thing twice at once, and
slots, so no more commands use the database at once than the connection pool serves.

A second ``/github sync`` while the first is still waiting for GitHub is refused at once (try
again in a moment) instead of queueing behind it and holding a worker.
"""

from __future__ import annotations

import asyncio
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


class Slots:
    """At most ``size`` holders at once; the others wait their turn, first come first served.

    Platforms acknowledge a command before running it, so a burst (2,000 members joining a
    cohort at once) arrives faster than the database answers. Without a limit every command
    would ask the pool for a connection at once and those past its timeout would fail; with
    one, they queue here, where waiting costs nothing, and each finds a connection free.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.waiting = 0  # holders waiting for a slot (a gauge in /metrics)
        self._free = asyncio.Semaphore(size)

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        self.waiting += 1
        try:
            await self._free.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._free.release()

    @asynccontextmanager
    async def lent(self) -> AsyncIterator[None]:
        """Give the caller's slot back while it waits on the outside world (GitHub, a platform),
        holding no connection, and wait for one again after: a slow outside call never keeps
        other commands from the database."""
        self._free.release()
        try:
            yield
        finally:
            self.waiting += 1
            try:
                await self._free.acquire()
            finally:
                self.waiting -= 1
