"""Leader election: exactly one process runs the scheduler; every process delivers.

On PostgreSQL the leader holds a session-level advisory lock on a connection of its own (outside
the pool commands use, in autocommit, so it is never left idle in a transaction holding back
VACUUM); when the process dies its connection closes, the lock is released, and another
replica's next try takes over within seconds. SQLite is one process by design, so it is always
the leader.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from storage.engine import application_name

log = logging.getLogger("offerbound.leader")
LOCK_KEY = 0x0FFE_B0D  # "offerbound": any fixed 64-bit number shared by every replica


class Leadership(Protocol):
    async def try_acquire(self) -> bool:
        """Become the leader if nobody is; True when this process leads (now or already)."""
        ...

    async def release(self) -> None: ...


class SingleProcessLeadership:
    """SQLite: this process is the only one, hence the leader."""

    async def try_acquire(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class AdvisoryLockLeadership:
    """PostgreSQL: ``pg_try_advisory_lock`` held on a dedicated connection."""

    def __init__(self, engine: AsyncEngine, key: int = LOCK_KEY) -> None:
        # One unpooled connection of its own: the lock never takes a slot of the commands' pool.
        self.engine = create_async_engine(
            engine.url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={"server_settings": {"application_name": application_name("leader")}},
        )
        self.key = key
        self._conn: AsyncConnection | None = None
        self._pid: int | None = None

    @property
    def backend_pid(self) -> int | None:
        """The lock connection's server process (to look it up in ``pg_stat_activity``)."""
        return self._pid

    async def try_acquire(self) -> bool:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                return True
            except Exception:  # the connection died: so did our lock
                log.warning("lost the scheduler lock's connection; stepping down")
                await self._drop()
                return False
        conn = await self.engine.connect()
        try:
            got = (
                await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
            ).scalar()
        except Exception:
            await conn.close()
            raise
        if got:
            self._conn = conn
            self._pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar()
            log.info("became the scheduler leader")
            return True
        await conn.close()
        return False

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            finally:
                await self._drop()
        await self.engine.dispose()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:
                await conn.invalidate()


def leadership_for(engine: AsyncEngine) -> Leadership:
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeadership(engine)
    return SingleProcessLeadership()
